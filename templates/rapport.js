// The report's tables: sorting (first click: largest first), filtering, paging of the big
// tables kept as JSON data (datatabel), groups that open on their findings. No network, no
// libraries; every cell is written with textContent, never as markup.
(function () {
  "use strict";
  var PAGINA = 50;
  function el(tag, cls, tekst) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (tekst !== undefined && tekst !== null) { e.textContent = tekst; }
    return e;
  }
  function duizend(n) {
    var s = String(Math.abs(n)), out = "";
    while (s.length > 3) { out = "." + s.slice(-3) + out; s = s.slice(0, -3); }
    return (n < 0 ? "-" : "") + s + out;
  }
  function euro(ct) {
    if (ct === null || ct === undefined) { return ""; }
    var a = Math.abs(ct), c = String(a % 100);
    return "\u20ac " + (ct < 0 ? "-" : "") + duizend(Math.floor(a / 100)) + "," + (c.length < 2 ? "0" + c : c);
  }
  function datum(iso) {
    if (!iso) { return ""; }
    var p = iso.split("-");
    return p.length === 3 ? p[2] + "-" + p[1] + "-" + p[0] : iso;
  }
  function tekst(typ, v) {
    if (v === null || v === undefined) { return ""; }
    if (typ === "geld") { return euro(v); }
    if (typ === "getal") { return duizend(v); }
    if (typ === "datum") { return datum(v); }
    return String(v);
  }
  function kolomwaarden(k, n) {
    if (k && !Array.isArray(k) && k.w) {
      var out = new Array(n);
      for (var i = 0; i < n; i++) { var j = k.i[i]; out[i] = j === null ? null : k.w[j]; }
      return out;
    }
    return k;
  }

  // ------------------------------------------------------------------ data tables
  function DataTabel(houder, data, opties) {
    var n = data.rijen, kol = data.kolommen.map(function (k) { return kolomwaarden(k, n); });
    var typen = data.typen, self = this;
    this.data = data; this.kol = kol; this.n = n;
    this.volgorde = []; for (var i = 0; i < n; i++) { this.volgorde.push(i); }
    this.zicht = this.volgorde; this.pagina = 0; this.richting = {};
    var invoer = el("input", "filter"); invoer.type = "search";
    invoer.placeholder = "Filter alle " + duizend(n) + " rijen (woorden, bijv. een id of controle)";
    var teller = el("span", "teller");
    var tabel = el("table", "sorteerbaar data"); tabel.id = "tabel-" + houder.id;
    var thead = el("thead"), tr = el("tr");
    data.koppen.forEach(function (kop, c) {
      var th = el("th", "sorteer" + (typen[c] !== "tekst" && typen[c] !== "datum" ? " num" : ""), kop);
      th.title = "Klik om te sorteren (eerst de grootste)";
      th.addEventListener("click", function () { self.sorteer(c, th); });
      tr.appendChild(th);
    });
    thead.appendChild(tr); tabel.appendChild(thead);
    var tbody = el("tbody"); tabel.appendChild(tbody);
    var nav = el("div", "bladeren");
    var terug = el("button", null, "\u2190 vorige"), verder = el("button", null, "volgende \u2192");
    var waar = el("span", "waar");
    terug.type = verder.type = "button";
    terug.addEventListener("click", function () { if (self.pagina > 0) { self.pagina -= 1; self.teken(); } });
    verder.addEventListener("click", function () { if ((self.pagina + 1) * PAGINA < self.zicht.length) { self.pagina += 1; self.teken(); } });
    nav.appendChild(terug); nav.appendChild(waar); nav.appendChild(verder);
    houder.appendChild(invoer); houder.appendChild(teller); houder.appendChild(tabel); houder.appendChild(nav);
    this.tabel = tabel; this.tbody = tbody; this.teller = teller; this.waar = waar; this.opties = opties || {};
    var wacht = null;
    invoer.addEventListener("input", function () {
      clearTimeout(wacht); wacht = setTimeout(function () { self.filter(invoer.value); }, 150);
    });
    this.teken();
  }
  DataTabel.prototype.rijtekst = function (r) {
    if (!this.teksten) {
      var t = new Array(this.n), kol = this.kol, typen = this.data.typen;
      for (var i = 0; i < this.n; i++) {
        var s = [];
        for (var c = 0; c < kol.length; c++) { s.push(tekst(typen[c], kol[c][i])); }
        t[i] = s.join(" ").toLowerCase();
      }
      this.teksten = t;
    }
    return this.teksten[r];
  };
  DataTabel.prototype.filter = function (q) {
    var w = q.toLowerCase().split(/\s+/).filter(function (x) { return x.length > 0; }), self = this;
    this.zicht = w.length === 0 ? this.volgorde : this.volgorde.filter(function (r) {
      var t = self.rijtekst(r);
      return w.every(function (x) { return t.indexOf(x) >= 0; });
    });
    this.pagina = 0; this.teken();
  };
  DataTabel.prototype.sorteer = function (c, th) {
    var v = this.kol[c], num = this.data.typen[c] === "geld" || this.data.typen[c] === "getal";
    var af = this.richting[c] !== "af";      // first click: descending (the largest first)
    this.richting = {}; this.richting[c] = af ? "af" : "op";
    Array.prototype.forEach.call(this.tabel.tHead.rows[0].cells, function (x) { x.removeAttribute("data-richting"); });
    th.setAttribute("data-richting", af ? "af" : "op");
    this.volgorde = this.volgorde.slice().sort(function (a, b) {
      var x = v[a], y = v[b], r;
      if (x === null || x === undefined) { return 1; }
      if (y === null || y === undefined) { return -1; }
      r = num ? x - y : (String(x).toLowerCase() < String(y).toLowerCase() ? -1 : (String(x).toLowerCase() > String(y).toLowerCase() ? 1 : 0));
      return af ? -r : r;
    });
    var keep = this.zicht === this.volgorde;
    if (!keep) { var z = {}; this.zicht.forEach(function (r) { z[r] = 1; }); this.zicht = this.volgorde.filter(function (r) { return z[r] === 1; }); }
    else { this.zicht = this.volgorde; }
    this.pagina = 0; this.teken();
  };
  DataTabel.prototype.rij = function (r) {
    var tr = el("tr"), typen = this.data.typen;
    for (var c = 0; c < this.kol.length; c++) {
      var td = el("td", typen[c] === "geld" || typen[c] === "getal" ? "num" : null, tekst(typen[c], this.kol[c][r]));
      tr.appendChild(td);
    }
    return tr;
  };
  DataTabel.prototype.teken = function (alles) {
    var tb = this.tbody, self = this;
    while (tb.firstChild) { tb.removeChild(tb.firstChild); }
    var van = alles ? 0 : this.pagina * PAGINA, tot = alles ? Math.min(this.zicht.length, 500) : Math.min(this.zicht.length, van + PAGINA);
    for (var i = van; i < tot; i++) {
      var r = this.zicht[i], tr = this.rij(r);
      if (this.opties.open) { tr.className = "opent"; tr.title = "Klik voor de bevindingen"; this.opties.open(tr, r); }
      tb.appendChild(tr);
    }
    this.teller.textContent = (this.zicht.length === this.n ? duizend(this.n) : duizend(this.zicht.length) + " van " + duizend(this.n)) + " rijen";
    this.waar.textContent = this.zicht.length ? "rij " + duizend(van + 1) + "\u2013" + duizend(tot) + " van " + duizend(this.zicht.length) : "geen rijen";
  };

  function lees(id) {
    var s = document.getElementById("data-" + id);
    return s ? JSON.parse(s.textContent) : null;
  }
  var tabellen = {};
  var bev = lees("bevindingen");
  var perGroep = {};
  if (bev) { bev.groep.forEach(function (g, i) { (perGroep[g] = perGroep[g] || []).push(i); }); }
  document.querySelectorAll("div.datatabel").forEach(function (houder) {
    var data = houder.id === "bevindingen" ? bev : lees(houder.id);
    if (!data) { return; }
    var opties = {};
    if (houder.id === "groepen" && bev) {   // row r of the groups is group r (both ranked alike)
      opties.open = function (tr, r) {
        tr.addEventListener("click", function () {
          var volgende = tr.nextSibling;
          if (volgende && volgende.className === "lijnen") { volgende.parentNode.removeChild(volgende); return; }
          var t = tabellen.bevindingen, lijn = el("tr", "lijnen"), td = el("td");
          td.colSpan = tr.cells.length;
          var sub = el("table", "sub"), h = el("tr");
          bev.koppen.forEach(function (k) { h.appendChild(el("th", null, k)); });
          sub.appendChild(h);
          (perGroep[r] || []).slice(0, 200).forEach(function (i) { sub.appendChild(t.rij(i)); });
          td.appendChild(sub);
          if ((perGroep[r] || []).length > 200) { td.appendChild(el("p", "klein", "De 200 grootste; alle bevindingen staan onder Alle bevindingen.")); }
          lijn.appendChild(td); tr.parentNode.insertBefore(lijn, tr.nextSibling);
        });
      };
    }
    tabellen[houder.id] = new DataTabel(houder, data, opties);
  });

  // ------------------------------------------------------------------ small tables in the markup
  function waarde(td) {
    var s = td.getAttribute("data-s");
    if (s !== null && s !== "" && !isNaN(Number(s))) { return {n: true, v: Number(s)}; }
    return {n: false, v: (s !== null ? s : td.textContent).toLowerCase()};
  }
  function sorteer(tabel, kolom, th) {
    var tbody = tabel.tBodies[0];
    var rijen = Array.prototype.slice.call(tbody.rows);
    var af = th.getAttribute("data-richting") !== "af";
    Array.prototype.forEach.call(tabel.tHead.rows[0].cells, function (c) { c.removeAttribute("data-richting"); });
    th.setAttribute("data-richting", af ? "af" : "op");
    rijen.sort(function (a, b) {
      var x = waarde(a.cells[kolom]), y = waarde(b.cells[kolom]);
      var r = (x.n && y.n) ? x.v - y.v : (x.v < y.v ? -1 : (x.v > y.v ? 1 : 0));
      return af ? -r : r;
    });
    rijen.forEach(function (r) { tbody.appendChild(r); });
  }
  var klein = document.querySelectorAll("table.sorteerbaar:not(.data)");
  Array.prototype.forEach.call(klein, function (tabel) {
    if (!tabel.tHead || !tabel.tBodies.length) { return; }
    Array.prototype.forEach.call(tabel.tHead.rows[0].cells, function (th, i) {
      th.classList.add("sorteer");
      th.title = "Klik om te sorteren (eerst de grootste)";
      th.addEventListener("click", function () { sorteer(tabel, i, th); });
    });
  });

  // ------------------------------------------------------------------ print: dossiers open, groups in full
  var dicht = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.dossier:not([open])").forEach(function (d) { d.open = true; dicht.push(d); });
    if (tabellen.groepen) { tabellen.groepen.teken(true); }
  });
  window.addEventListener("afterprint", function () {
    dicht.forEach(function (d) { d.open = false; }); dicht = [];
    if (tabellen.groepen) { tabellen.groepen.teken(); }
  });
  if (/[?&#]afdruk\b/.test(location.search + location.hash)) {   // print preview of the report itself
    document.querySelectorAll("details.dossier").forEach(function (d) { d.open = true; });
    if (tabellen.groepen) { tabellen.groepen.teken(true); }
  }
  // a link to a dossier (Begin hier) opens it
  function openDoel() {
    var id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
    var d = id ? document.getElementById(id) : null;
    if (d && d.tagName === "DETAILS") { d.open = true; d.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openDoel);
  openDoel();
  document.body.setAttribute("data-tabellen", String(klein.length + Object.keys(tabellen).length));
  document.body.dataset.ready = "ja";
})();
