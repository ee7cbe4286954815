// Turns the query page into YASGUI (served from /static/vendor, never a CDN).
// The curated questions arrive as JSON in #query-config and become one tab each.
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
    var firstTabs = Object.keys(yasgui._tabs);
    config.examples.forEach(function (example, i) {
      var tab = yasgui.addTab(i === 0, {
        name: example.name,
        yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint }
      });
      tab.getYasqe && tab.getYasqe() && tab.getYasqe().setValue(example.query);
    });
    // The empty default tab YASGUI creates adds nothing next to the examples.
    if (config.examples.length) {
      firstTabs.forEach(function (id) {
        var tab = yasgui.getTab(id);
        if (tab) tab.close();
      });
    }
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
