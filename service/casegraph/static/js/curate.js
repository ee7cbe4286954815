// The curation workspace's page script (a plain module; the page works without it, with
// offsets typed by hand and IRIs pasted).  It does three things:
//  * turns a selection in the draft's text into the add-a-fact form's offsets — counted
//    in Unicode code points, as the server and the passages count them, not in the
//    UTF-16 units JavaScript strings index by (𠮷 is one code point, two units);
//  * shows only the chosen kind's fields in that form;
//  * offers re-link suggestions from the reconciliation service (/reconcile), each with
//    the entity's summary, and fills the zh-Hant label from the zh-Hans one (OpenCC on
//    the server) until the curator edits it.
// Everything from the server is inserted as text, never as markup.

const text = document.getElementById("draft-text");
const form = document.getElementById("add-form");

function codePoints(s) {
  return Array.from(s).length;
}

// The code-point offset of a (node, UTF-16 offset) boundary inside the text panel: every
// chunk element carries its start (data-s) in code points.
function offsetOf(node, unitOffset) {
  let element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (element === text) {
    // A boundary between chunks: the start of the chunk after it, or the end.
    const chunk = text.children[unitOffset];
    return chunk ? Number(chunk.dataset.s) : Number(text.dataset.length);
  }
  while (element && element.parentElement !== text) element = element.parentElement;
  if (!element || element.dataset.s === undefined) return null;
  const prefix = node.nodeType === Node.TEXT_NODE ? node.data.slice(0, unitOffset) : "";
  return Number(element.dataset.s) + codePoints(prefix);
}

function onSelection() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
  const start = offsetOf(range.startContainer, range.startOffset);
  const end = offsetOf(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return;
  const quote = range.toString();
  form.querySelector("#add-start").value = String(start);
  form.querySelector("#add-end").value = String(end);
  const sent = form.querySelector("#add-quote");
  sent.value = quote;
  sent.disabled = false; // the server checks the quote is the text at these offsets
  form.querySelector("#selection-quote").textContent = "“" + quote + "” [" + start + ", " + end + ")";
  for (const input of form.querySelectorAll("input[name$='.label']")) {
    if (!input.value) input.value = quote;
  }
}

function showFact() {
  const chosen = form.querySelector("#add-fact-kind").value;
  for (const fieldset of form.querySelectorAll("fieldset[data-fact]")) {
    const on = fieldset.dataset.fact === chosen;
    fieldset.hidden = !on;
    fieldset.disabled = !on;
  }
}

if (text && form) {
  document.addEventListener("selectionchange", () => {
    clearTimeout(onSelection.timer);
    onSelection.timer = setTimeout(onSelection, 120);
  });
  form.querySelector("#add-fact-kind").addEventListener("change", showFact);
  showFact();
  for (const input of ["#add-start", "#add-end"].map((s) => form.querySelector(s))) {
    // Offsets typed by hand: the quote sent with them would no longer be the selection's.
    input.addEventListener("input", () => { form.querySelector("#add-quote").disabled = true; });
  }
}

// --- re-link suggestions ---------------------------------------------------------
const RECONCILE_TYPES = {
  organisation: "http://www.w3.org/ns/org#Organization",
  brand: "https://w3id.org/casegraph/ns#PartyBuildingBrand",
  person: "https://schema.org/Person",
  place: "https://schema.org/Place",
  project: "https://w3id.org/casegraph/ns#Project",
};

async function summary(iri) {
  const response = await fetch("/curate/api/entity?iri=" + encodeURIComponent(iri),
    { headers: { Accept: "application/json" }, credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

async function suggest(relink) {
  const input = relink.querySelector("input[name=iri]");
  const list = relink.querySelector(".suggestions");
  const name = input.value.trim() && !/^https?:/.test(input.value) ? input.value.trim() : relink.dataset.name;
  const queries = { q0: { query: name, type: RECONCILE_TYPES[relink.dataset.kind], limit: 5 } };
  const response = await fetch("/reconcile?queries=" + encodeURIComponent(JSON.stringify(queries)),
    { headers: { Accept: "application/json" } });
  const results = response.ok ? (await response.json()).q0.result : [];
  list.textContent = "";
  list.hidden = false;
  if (!results.length) {
    const li = document.createElement("li");
    li.textContent = relink.dataset.none || "—";
    list.appendChild(li);
    return;
  }
  const group = relink.querySelector("input[name=item]").value + "-suggestion";
  for (const [i, result] of results.entries()) {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = group;
    radio.value = result.id;
    radio.id = group + "-" + i;
    radio.addEventListener("change", () => { input.value = result.id; });
    label.htmlFor = radio.id;
    label.textContent = result.name + " — " + result.score.toFixed(2);
    li.append(radio, label);
    const about = document.createElement("small");
    about.className = "suggestion-summary";
    li.appendChild(about);
    list.appendChild(li);
    summary(result.id).then((entity) => {
      if (!entity) return;
      const names = Object.entries(entity.labels).map(([tag, names]) => names.join(" / ") + " (" + tag + ")");
      about.textContent = [entity.curie, entity.types.join(", "), names.join("; "),
        entity.cases.length + " case(s): " + entity.cases.join(", ")].join(" · ");
      if (entity.page) {
        const link = document.createElement("a");
        link.href = entity.page;
        link.textContent = " ↗";
        link.setAttribute("aria-label", result.name + ": page");
        about.appendChild(link);
      }
    });
  }
}

for (const relink of document.querySelectorAll(".relink-form")) {
  const button = relink.querySelector(".find-suggestions");
  button.hidden = false;
  button.addEventListener("click", () => suggest(relink));
  relink.closest("details").addEventListener("toggle", (event) => {
    if (event.target.open && relink.querySelector(".suggestions").hidden) suggest(relink);
  });
}

// --- zh-Hant follows zh-Hans until edited ------------------------------------------
for (const labels of document.querySelectorAll(".labels-form")) {
  const hans = labels.querySelector("[data-hans]");
  const hant = labels.querySelector("[data-hant]");
  let edited = false;
  hant.addEventListener("input", () => { edited = true; });
  hans.addEventListener("input", async () => {
    if (edited) return;
    const response = await fetch("/curate/api/traditional?text=" + encodeURIComponent(hans.value),
      { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok && !edited) hant.value = (await response.json())["zh-Hant"];
  });
}
