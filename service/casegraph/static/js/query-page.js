// Turns the query page into YASGUI (served from /static/vendor, never a CDN).
// The editor starts with a clean query (#query-config's "start"); the curated questions
// arrive as JSON in #query-config and are listed below it, each loaded on a click.
// Without JavaScript, or if YASGUI fails to load, the plain form below still works.
(function () {
  "use strict";
  function start() {
    var holder = document.getElementById("yasgui");
    var configEl = document.getElementById("query-config");
    if (!holder || !configEl || typeof window.Yasgui !== "function") return;
    var config = JSON.parse(configEl.textContent);
    var endpoint = new URL(config.endpoint, window.location.href).href;
    var yasgui = new window.Yasgui(holder, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: null,
      populateFromUrl: false,
      autofocus: false
    });
    var tab = yasgui.getTab();
    tab.getYasqe().setValue(config.start);
    // Literals as they read (2021, not "2021"^^xsd:gYear), IRIs as prefixed names.
    var table = tab.getYasr().plugins.table;
    if (table) table.persistentConfig.compact = true;
    document.querySelectorAll("button.load-example").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var example = config.examples[Number(button.getAttribute("data-example"))];
        yasgui.getTab().getYasqe().setValue(example.query);
        holder.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    });
    nameControls(holder, config.labels || {});
    document.body.classList.add("yasgui-ready");
    window.casegraphYasgui = yasgui;
  }
  // YASGUI leaves its endpoint box and CodeMirror's input unnamed; name them (and the
  // ones later tabs create) so that screen readers announce what they edit.
  function nameControls(holder, labels) {
    function apply() {
      holder.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (el) {
        el.setAttribute("aria-label", labels.endpoint || "SPARQL endpoint");
      });
      holder.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (el) {
        el.setAttribute("aria-label", labels.query || "SPARQL query");
      });
    }
    apply();
    new MutationObserver(apply).observe(holder, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
