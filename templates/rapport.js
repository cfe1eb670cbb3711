// Sorting and filtering of the report's tables; no network, no libraries.
(function () {
  "use strict";
  function waarde(td) {
    var s = td.getAttribute("data-s");
    if (s !== null && s !== "" && !isNaN(Number(s))) { return {n: true, v: Number(s)}; }
    return {n: false, v: (s !== null ? s : td.textContent).toLowerCase()};
  }
  function sorteer(tabel, kolom, th) {
    var tbody = tabel.tBodies[0];
    var rijen = Array.prototype.slice.call(tbody.rows);
    var op = th.getAttribute("data-richting") !== "op";
    Array.prototype.forEach.call(tabel.tHead.rows[0].cells, function (c) { c.removeAttribute("data-richting"); });
    th.setAttribute("data-richting", op ? "op" : "af");
    rijen.sort(function (a, b) {
      var x = waarde(a.cells[kolom]), y = waarde(b.cells[kolom]);
      var r = (x.n && y.n) ? x.v - y.v : (x.v < y.v ? -1 : (x.v > y.v ? 1 : 0));
      return op ? r : -r;
    });
    rijen.forEach(function (r) { tbody.appendChild(r); });
  }
  function filter(tabel, tekst, teller) {
    var woorden = tekst.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var zichtbaar = 0;
    Array.prototype.forEach.call(tabel.tBodies[0].rows, function (r) {
      var t = r.textContent.toLowerCase();
      var ok = woorden.every(function (w) { return t.indexOf(w) >= 0; });
      r.style.display = ok ? "" : "none";
      if (ok) { zichtbaar += 1; }
    });
    teller.textContent = zichtbaar + " van " + tabel.tBodies[0].rows.length + " rijen";
  }
  var tabellen = document.querySelectorAll("table.sorteerbaar");
  Array.prototype.forEach.call(tabellen, function (tabel) {
    if (!tabel.tHead || !tabel.tBodies.length) { return; }
    Array.prototype.forEach.call(tabel.tHead.rows[0].cells, function (th, i) {
      th.classList.add("sorteer");
      th.title = "Klik om te sorteren";
      th.addEventListener("click", function () { sorteer(tabel, i, th); });
    });
    var invoer = document.createElement("input");
    invoer.type = "search";
    invoer.className = "filter";
    invoer.placeholder = "Filter deze tabel (woorden, bijv. een id of controle)";
    var teller = document.createElement("span");
    teller.className = "teller";
    teller.textContent = tabel.tBodies[0].rows.length + " rijen";
    invoer.addEventListener("input", function () { filter(tabel, invoer.value, teller); });
    tabel.parentNode.insertBefore(invoer, tabel);
    tabel.parentNode.insertBefore(teller, tabel);
  });
  document.body.setAttribute("data-tabellen", String(tabellen.length));
  document.body.dataset.ready = "ja";
})();
