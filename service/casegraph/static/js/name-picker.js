// Choose an entity by name: inputs marked data-name-picker get a list of suggestions
// from the search index (any script) as the reader types.  Choosing one puts its name in
// the box and sends its IRI, so the answer is for exactly that entity; a name typed
// without choosing is sent as it is and resolved (or offered as choices) by the server.
// Without this script the box still takes a name or an IRI.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    // {label, iri} of the entity chosen, while the text still shows its name: a suggestion
    // picked, or the entity the answer is for (the page shows its name, not its IRI).
    var chosen = input.hasAttribute("data-chosen-iri")
      ? { label: input.value, iri: input.getAttribute("data-chosen-iri") } : null;
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(option) {
      chosen = { label: option.textContent, iri: option.getAttribute("data-iri") };
      input.value = chosen.label;
      close();
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }
    function show(suggestions) {
      list.textContent = "";
      suggestions.forEach(function (s, i) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.id = list.id + "-" + i;
        option.setAttribute("data-iri", s.iri);
        option.setAttribute("aria-selected", "false");
        option.textContent = s.label; // text, never markup
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", String(suggestions.length > 0));
    }

    input.addEventListener("input", function () {
      chosen = null;
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        var url = input.getAttribute("data-name-picker") + "?q=" + encodeURIComponent(text) +
          "&lang=" + encodeURIComponent(document.documentElement.lang || "zh-Hans");
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (suggestions) {
            // Parameters name entities, not the passages that quote them.
            if (ticket === latest) show(suggestions.filter(function (s) { return s.group !== "passage"; }));
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) {
        choose(list.querySelectorAll("[role=option]")[active]);
        event.preventDefault();
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", close);
    input.form.addEventListener("submit", function () {
      if (chosen && input.value === chosen.label) input.value = chosen.iri;
    });
  }
  document.querySelectorAll("input[data-name-picker]").forEach(attach);
})();
