// Names for what Django's admin templates leave unnamed, so that a screen reader can tell each control apart:
// the fields and delete boxes of a tabular inline row (labelled by their column header only), the inline
// tables' empty header cells, select2's comboboxes (named by their value alone, nothing when empty) and the
// changelist's search box (labelled by an image). The words come from the page (data-* attributes of this
// script, translated by Django).
"use strict";
{
  const script = document.currentScript;
  const words = {entry: script.dataset.entryLabel, actions: script.dataset.actionsLabel};

  function headerText(th) {
    return th ? th.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function labelTabular(table) {
    const headers = Array.from(table.querySelectorAll("thead th"));
    headers.forEach((th) => {
      if (headerText(th)) return;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = th.classList.contains("original") ? words.entry : words.actions;
      th.appendChild(hidden);
    });
    const deleteHeader = headers[headers.length - 1];  // "Delete?" when the user may delete
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell) => {
        const column = Array.from(cell.classList).find((name) => name.startsWith("field-"));
        if (!column && !cell.classList.contains("delete")) return;
        const th = column ? table.querySelector(`thead th.column-${column.slice(6)}`) : deleteHeader;
        const name = headerText(th);
        if (!name) return;
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
          if (!control.labels || control.labels.length === 0) control.setAttribute("aria-label", name);
        });
      });
    });
  }

  function labelComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const label = select.labels && select.labels[0];
      const name = label ? headerText(label).replace(/:$/, "") : select.getAttribute("aria-label");
      nameCombobox(container, select, name);
      // A select2 of several choices types into a search box of its own.
      container.querySelectorAll("input.select2-search__field").forEach((search) => {
        if (name) search.setAttribute("aria-label", name);
      });
      // The chosen value changes the name; select2 draws it again on each change (its own handler runs first).
      const jQuery = window.django && window.django.jQuery;
      if (jQuery && !select.dataset.a11yWatched) {
        select.dataset.a11yWatched = "1";
        jQuery(select).on("change", () => nameCombobox(container, select, name));
      }
    });
  }

  // The combobox is named by its label and then its value ("Kelurahan/desa: Langkai, Pahandut"), its value's
  // own box by the label. The value is the <select>'s chosen option, not select2's drawing of it, which holds
  // the clear button ("×") and was read as part of the name.
  function nameCombobox(container, select, name) {
    if (!name) return;
    const chosen = Array.from(select.selectedOptions)
      .filter((option) => option.value !== "")
      .map((option) => option.textContent.trim());
    container.querySelectorAll("[role=combobox], [role=textbox]").forEach((element) => {
      const withValue = element.getAttribute("role") === "combobox" && chosen.length && !select.multiple;
      element.removeAttribute("aria-labelledby");
      element.setAttribute("aria-label", withValue ? `${name}: ${chosen.join(", ")}` : name);
    });
  }

  function labelAll() {
    document.querySelectorAll(".inline-group .tabular table").forEach(labelTabular);
    labelComboboxes(document);
    const search = document.getElementById("searchbar");
    const submit = search && search.form.querySelector("input[type=submit]");
    if (search && submit && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", submit.value);
  }

  // After Django's own scripts have drawn select2: autocomplete.js does it in a jQuery ready handler, which
  // jQuery runs asynchronously, sometimes after the window's load event. A handler added later runs later.
  const jQuery = window.django && window.django.jQuery;
  if (jQuery) jQuery(() => window.setTimeout(labelAll, 0));
  else document.addEventListener("DOMContentLoaded", labelAll);
  document.addEventListener("formset:added", () => window.setTimeout(labelAll, 0));
}
