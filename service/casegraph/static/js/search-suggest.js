// Autocomplete for search boxes marked data-suggest: fills a <datalist> with the best
// labels as the reader types.  The form submits normally with or without this script.
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.parentNode.insertBefore(list, input.nextSibling);
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        var url = input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text) +
          "&lang=" + encodeURIComponent(document.documentElement.lang || "zh-Hans");
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (suggestions) {
            if (ticket !== latest) return;
            list.textContent = "";
            suggestions.forEach(function (s) {
              var option = document.createElement("option");
              option.value = s.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
