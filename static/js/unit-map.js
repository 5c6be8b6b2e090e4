// The unit page's map: a Leaflet map with an OpenStreetMap layer and one pin (or, when the owner has not
// consented to publish a contact, a circle around the rounded position). Assets come from static/vendor.
(function () {
  "use strict";
  var element = document.getElementById("unit-map");
  if (!element || !window.L) { return; }
  var lat = parseFloat(element.getAttribute("data-lat"));
  var lng = parseFloat(element.getAttribute("data-lng"));
  if (isNaN(lat) || isNaN(lng)) { return; }
  var precise = element.getAttribute("data-precise") === "1";
  var map = L.map(element, { scrollWheelZoom: false }).setView([lat, lng], precise ? 15 : 13);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  if (precise) {
    L.marker([lat, lng], { title: element.getAttribute("data-label"), alt: element.getAttribute("data-label") }).addTo(map);
  } else {
    L.circle([lat, lng], { radius: 1000 }).addTo(map);
  }
})();
