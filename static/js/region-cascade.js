// Cascading region selects of the IKM directory: choosing a province loads its kab/kota, choosing a
// kab/kota loads its kecamatan, from the open API (/api/v1/regions/?parent=CODE). Without JavaScript the
// form still works: the server lists the children of the region chosen at the last submit.
(function () {
  "use strict";
  var fieldset = document.querySelector(".region-cascade");
  if (!fieldset || !window.fetch) { return; }
  var api = fieldset.getAttribute("data-api");

  function reset(select) {
    var empty = select.getAttribute("data-empty") || "";
    select.innerHTML = "";
    var option = document.createElement("option");
    option.value = "";
    option.textContent = empty;
    select.appendChild(option);
    select.disabled = true;
    var next = select.getAttribute("data-child");
    if (next) { reset(document.getElementById(next)); }
  }

  function load(select, parentCode) {
    reset(select);
    if (!parentCode) { return; }
    select.setAttribute("aria-busy", "true");
    fetch(api + "?parent=" + encodeURIComponent(parentCode) + "&page_size=1000", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        data.results
          .filter(function (region) { return region.is_active; })
          .sort(function (a, b) { return a.name.localeCompare(b.name, "id"); })
          .forEach(function (region) {
            var option = document.createElement("option");
            option.value = region.code;
            option.textContent = region.name;
            select.appendChild(option);
          });
        select.disabled = false;
      })
      .catch(function () { select.disabled = false; })
      .then(function () { select.removeAttribute("aria-busy"); });
  }

  fieldset.querySelectorAll("select[data-child]").forEach(function (select) {
    select.addEventListener("change", function () {
      load(document.getElementById(select.getAttribute("data-child")), select.value);
      // A sentra belongs to one kab/kota: changing the region clears it.
      var sentra = document.getElementById("id_sentra");
      if (sentra) { sentra.value = ""; }
    });
  });
})();
