"""The generator: builds every budgethouder "normal" and generates its lines (see the package docstring)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_FLOOR

from auditor.samples.model import Afspraak, BH, L_AANTAL, L_BEDRAG, L_EENH, L_FROZEN, L_KM, L_TARIEF, L_VAN, Persoon, Toekenning, Zorgverlener
from auditor.samples.people import ACHTERNAMEN, ANDERE_PLAATSEN, BUREAU_NAMEN, INSTELLING_NAMEN, MAILDOMEINEN, NETNUMMER, OMS, PLAATSEN, STRATEN, VOORNAMEN_M, VOORNAMEN_V, _add_months, _add_years, _bsn, _fmt_mobiel, _iban, _mobiel, _month_end
from auditor.samples.regeling import ALL_CHECKS, Product, Reg, _D


# ---- The generator ---------------------------------------------------------------------

class Generator:
    def __init__(self, reg: Reg, n: int, seed: int, jaar: int | None, regels_per_bh: int):
        self.reg, self.n, self.rng = reg, n, random.Random(seed)
        self.jaar = jaar or (reg.geldig_van.year if reg.geldig_van else 2025)
        self.ys = date(self.jaar, 1, 1)
        self.ye = date(self.jaar, 12, 31)
        if reg.geldig_tot and reg.geldig_tot.year == self.jaar:
            self.ye = min(self.ye, reg.geldig_tot)
        self.regels_per_bh = regels_per_bh
        self.used_bsn: set = set()
        self.used_iban: set = set()
        self.used_tel: set = set()
        self.used_mail: set = set()
        self.used_adres: set = set()
        self.used_naam: set = set()
        self.used_kvk: set = set()
        self.seq = {"zv": 0, "tk": 0, "zo": 0, "rel": 0}
        self.zorgverleners: list[Zorgverlener] = []
        self.bhs: list[BH] = []
        self.instellingen: dict[str, list[Zorgverlener]] = {}
        self.zzp_pool: list[Zorgverlener] = []
        self.bureaus: list[dict] = []
        self.extra_betalingen: list[list] = []   # [bh, zv, decl_id or "", iban, bedrag_ct, dag, tag]
        self.truth: dict[tuple[str, str], dict] = {}
        self.max_uren = reg.p("max_uren_per_dag") or 24
        gc = reg.gemeente_code
        self.plaatsen = PLAATSEN.get(gc, (("Losser", "758"),))
        self.netnr = NETNUMMER.get(gc, "053")
        # which checks to plant
        self.do = {c: reg.possible(c) for c in ALL_CHECKS}
        self.parents_care = not (reg.dubbelrol and ("wettelijk_vertegenwoordiger" in reg.dubbelrol
                                                    or "ouder" in reg.dubbelrol))

    def nid(self, kind: str) -> int:
        self.seq[kind] += 1
        return self.seq[kind]

    def rdate(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def adres(self, plaatsen=None) -> tuple[str, str, str]:
        rng = self.rng
        plaatsen = plaatsen or self.plaatsen
        while True:
            pl_, pre = rng.choice(plaatsen)
            pc = pre + "".join(str(rng.randint(0, 9)) for _ in range(4 - len(pre)))
            if pc[0] == "0":
                continue
            letters = rng.choice("ABCDEGHJKLMNPRSTVWXZ") + rng.choice("ABCDEGHJKLMNPRSTVWXZ")
            if letters in ("SA", "SD", "SS"):   # never issued in the Netherlands
                continue
            huis = str(rng.randint(1, 180))
            r = rng.random()
            if r < 0.08:
                huis += rng.choice("abc")
            elif r < 0.12:
                huis += "-" + str(rng.randint(1, 3))
            key = pc + letters + "|" + huis.lower().replace("-", "").replace(" ", "")
            key2 = pc + letters + "|" + "".join(ch for ch in huis if ch.isdigit())
            if key in self.used_adres or key2 in self.used_adres:
                continue
            self.used_adres.add(key)
            self.used_adres.add(key2)
            pcf = f"{pc} {letters}" if rng.random() < 0.8 else f"{pc}{letters}"
            return f"{rng.choice(STRATEN)} {huis}", pcf, pl_

    def naam(self, vrouw: bool, achternaam: str | None = None) -> tuple[str, str]:
        rng = self.rng
        for _ in range(200):
            vn = rng.choice(VOORNAMEN_V if vrouw else VOORNAMEN_M)
            an = achternaam or rng.choice(ACHTERNAMEN)
            if (vn, an) not in self.used_naam:
                self.used_naam.add((vn, an))
                return vn, an
            if achternaam:
                achternaam = None  # fall back to another surname
        # many people: make the name unique with a second first name initial
        while True:
            vn = rng.choice(VOORNAMEN_V if vrouw else VOORNAMEN_M) + " " + rng.choice("ABCDEFGHJKLMNPRSTW") + "."
            an = rng.choice(ACHTERNAMEN)
            if (vn, an) not in self.used_naam:
                self.used_naam.add((vn, an))
                return vn, an

    def email(self, vn: str, an: str, domein: str | None = None) -> str:
        base = (vn.split()[0][0] + "." + an.replace(" ", "").replace("ö", "o").replace("Ö", "O")).lower()
        base = "".join(ch for ch in base if ch.isascii())
        dom = domein or self.rng.choice(MAILDOMEINEN)
        i = 0
        while True:
            e = f"{base}{i if i else ''}@{dom}"
            if e not in self.used_mail:
                self.used_mail.add(e)
                return e
            i += 1

    def persoon(self, vrouw: bool, geb_lo: date, geb_hi: date, achternaam=None, adres=None,
                contact=True) -> Persoon:
        vn, an = self.naam(vrouw, achternaam)
        p = Persoon(vn, an, self.rdate(geb_lo, geb_hi), bsn=_bsn(self.rng, self.used_bsn))
        if adres is None:
            adres = self.adres()
        p.straat, p.postcode, p.woonplaats = adres
        if contact:
            p.iban = _iban(self.rng, self.used_iban)
            p.telefoon = _fmt_mobiel(_mobiel(self.rng, self.used_tel), self.rng.randint(0, 3))
            p.email = self.email(vn, an)
        return p

    def kvk(self) -> str:
        while True:
            v = f"{self.rng.randint(0, 99_999_999):08d}"
            if self.rng.random() < 0.15:
                v = "0" + v[1:]
            if v not in self.used_kvk:
                self.used_kvk.add(v)
                return v

    def vog_normaal(self) -> date:
        """A VOG valid on every day of the year (and before the first day of care)."""
        n = self.reg.p("vog_max_jaren") or 3
        lo = _add_years(self.ye, -int(n)) + timedelta(days=20)
        hi = self.ys - timedelta(days=20)
        if lo > hi:
            lo = hi
        return self.rdate(lo, hi)

    def new_zv(self, soort: str, naam: str, **kw) -> Zorgverlener:
        zv = Zorgverlener(id=f"ZV{self.nid('zv'):05d}", naam=naam, soort=soort, **kw)
        self.zorgverleners.append(zv)
        return zv

    def instelling(self, categorie: str) -> Zorgverlener:
        pool = self.instellingen.setdefault(categorie, [])
        # roughly one instelling per 12 budgethouders per category
        if not pool or (len(pool) < 2 + self.n // 12 and self.rng.random() < 0.35):
            rng = self.rng
            plaats, pre, netnr = rng.choice(ANDERE_PLAATSEN)
            tmpl = {
                "behandeling_individueel": ("Praktijk voor Kinder- en Jeugdpsychologie {p}", "Orthopedagogenpraktijk {p}",
                                            "Autismecentrum De Brug", "Ambulante Jeugdhulp {p}"),
                "behandeling_groep": ("Dagbehandeling De Kikker", "Stichting Jeugdzorg {p}"),
                "begeleiding_groep": ("Zorgboerderij De Hoeve", "Stichting Dagbesteding {p}", "Zorgboerderij De Zonnehoek",
                                      "Leerhuis De Wegwijzer"),
                "kortdurend_verblijf": ("Logeerhuis Het Anker", "Stichting Het Kinderhuis"),
                "wonen_verblijf": ("Gezinshuis De Linde",),
                "vervoer": ("Taxicentrale {p} B.V.",),
            }.get(categorie, INSTELLING_NAMEN)
            naam = rng.choice(tmpl).format(p=plaats)
            existing = {z.naam for z in self.zorgverleners}
            if naam in existing:
                naam = f"{naam} (locatie {len(pool) + 2})"
            while naam in existing:
                naam += "+"
            straat, pc, wp = self.adres(((plaats, pre),))
            tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
            while tel in self.used_tel:
                tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
            self.used_tel.add(tel)
            dom = "".join(ch for ch in naam.lower() if ch.isalnum())[:22] + ".nl"
            zv = self.new_zv("instelling", naam, kvk=self.kvk(), agb=f"{rng.randint(1, 99_999_999):08d}",
                             straat=straat, postcode=pc, woonplaats=wp, iban=_iban(rng, self.used_iban),
                             telefoon=f"{tel[:len(netnr)]}-{tel[len(netnr):]}", email=self._org_mail("info", dom),
                             capaciteit=10 ** 9)
            pool.append(zv)
            return zv
        return self.rng.choice(pool)

    def _org_mail(self, local: str, dom: str) -> str:
        e = f"{local}@{dom}"
        i = 1
        while e in self.used_mail:
            i += 1
            e = f"{local}{i}@{dom}"
        self.used_mail.add(e)
        return e

    def zzp(self, dedicated: bool = False, **overrides) -> Zorgverlener:
        if not dedicated:
            free = [z for z in self.zzp_pool[-6:] if len(z.bh) < z.capaciteit]
            if free and self.rng.random() < 0.7:
                return self.rng.choice(free)
        rng = self.rng
        vrouw = rng.random() < 0.75
        p = self.persoon(vrouw, date(1965, 1, 1), date(1998, 12, 31),
                         adres=self.adres(self.plaatsen + tuple((a, b) for a, b, _ in ANDERE_PLAATSEN[:3])))
        heeft_big = rng.random() < 0.12
        kw = dict(kvk=self.kvk(), skj=None if heeft_big else f"1{rng.randint(0, 99_999_999):08d}",
                  big=f"{rng.randint(10_000_000_000, 99_999_999_999)}" if heeft_big else None,
                  vog=self.vog_normaal() if rng.random() < 0.6 else None,
                  opleiding=rng.choice(("hbo", "hbo", "wo", "mbo4")), persoon=p,
                  straat=p.straat, postcode=p.postcode, woonplaats=p.woonplaats, iban=p.iban,
                  telefoon=p.telefoon, email=p.email, capaciteit=3 if not dedicated else 1)
        kw.update(overrides)
        zv = self.new_zv("zzp", p.naam, **kw)
        if not dedicated:
            self.zzp_pool.append(zv)
        return zv

    def sn_person(self, bh: BH, kind: str) -> tuple[Zorgverlener, str]:
        """A zorgverlener from the sociaal netwerk: (zv, relatie_tot_budgethouder)."""
        rng = self.rng
        if kind == "ouder":
            m = bh.moeder
            zv = self.new_zv("sociaal_netwerk", m.naam, persoon=m, straat=m.straat, postcode=m.postcode,
                             woonplaats=m.woonplaats, iban=m.iban, telefoon=m.telefoon, email=m.email,
                             capaciteit=1)
            return zv, "ouder"
        if kind == "oma":
            p = self.persoon(True, date(1945, 1, 1), date(1972, 12, 31))
            rel, soort = "familie", "sociaal_netwerk"
        elif kind == "tante":
            p = self.persoon(rng.random() < 0.7, date(1970, 1, 1), date(1998, 12, 31))
            rel, soort = "familie", "sociaal_netwerk"
        else:  # buurvrouw / kennis
            p = self.persoon(True, date(1960, 1, 1), date(2000, 12, 31))
            rel, soort = "bekende", "overig_niet_professioneel"
        zv = self.new_zv(soort, p.naam, persoon=p, straat=p.straat, postcode=p.postcode,
                         woonplaats=p.woonplaats, iban=p.iban, telefoon=p.telefoon, email=p.email,
                         vog=self.vog_normaal(), opleiding=rng.choice((None, "mbo2", "mbo3", "mbo4")),
                         capaciteit=1)
        return zv, rel

    def new_bh(self, i: int) -> BH:
        rng = self.rng
        adres = self.adres()
        moeder = self.persoon(True, date(1972, 1, 1), date(1996, 12, 31), adres=adres)
        kind = self.persoon(rng.random() < 0.4, date(2008, 1, 1), date(2022, 12, 31),
                            achternaam=moeder.achternaam if rng.random() < 0.6 else None,
                            adres=adres, contact=False)
        kind.telefoon, kind.email = moeder.telefoon, moeder.email
        bh = BH(i, f"{2_100_000 + i * 10 + rng.randint(0, 9)}", kind, moeder)
        if rng.random() < 0.3:
            bh.iban = _iban(rng, self.used_iban)
        rol_m = "wettelijk_vertegenwoordiger" if rng.random() < 0.6 else "ouder"
        bh.relaties.append((rol_m, moeder, {}))
        if rng.random() < 0.6:
            vader = self.persoon(False, date(1968, 1, 1), date(1995, 12, 31), achternaam=kind.achternaam,
                                 adres=adres if rng.random() < 0.7 else None)
            bh.relaties.append(("ouder", vader, {}))
        r = rng.random()
        if r < 0.07:
            bh.relaties.append((rng.choice(("bewindvoerder", "gemachtigde")), self.bureau(), {}))
        elif r < 0.11:
            p = self.persoon(rng.random() < 0.5, date(1950, 1, 1), date(1990, 12, 31))
            bh.relaties.append(("gemachtigde", p, {}))
        return bh

    def bureau(self, voor_netwerk: bool = False) -> dict:
        """An organisation acting for budgethouders; normal bureaus act for at most 2."""
        cap = 10 ** 9 if voor_netwerk else max(1, (self.reg.netwerk_min or 3) - 1)
        if not voor_netwerk:
            for b in self.bureaus:
                if b["n"] < b["cap"] and not b["netwerk"] and self.rng.random() < 0.5:
                    b["n"] += 1
                    return b
        rng = self.rng
        plaats, pre, netnr = rng.choice(ANDERE_PLAATSEN)
        a = rng.choice(ACHTERNAMEN).replace("van der ", "").replace("de ", "").title()
        naam = rng.choice(BUREAU_NAMEN).format(p=plaats, a=a)
        if voor_netwerk:
            naam = f"PGB Zorgbureau {rng.choice(('De Linde', 'Zorgrijk', 'Samen Sterk', 'Het Baken'))}"
        names = {b["naam"] for b in self.bureaus}
        k = 2
        base = naam
        while naam in names:
            naam = f"{base} {k}"
            k += 1
        tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
        while tel in self.used_tel:
            tel = netnr + str(rng.randint(10 ** (9 - len(netnr)), 10 ** (10 - len(netnr)) - 1))
        self.used_tel.add(tel)
        straat, pc, wp = self.adres(((plaats, pre),))
        dom = "".join(ch for ch in naam.lower() if ch.isalnum())[:24] + ".nl"
        b = {"naam": naam, "telefoon": f"{tel[:len(netnr)]}-{tel[len(netnr):]}",
             "email": self._org_mail("info", dom), "straat": straat, "postcode": pc, "woonplaats": wp,
             "iban": _iban(rng, self.used_iban), "n": 1, "cap": cap, "netwerk": voor_netwerk}
        self.bureaus.append(b)
        return b

    # ---- toekenningen and agreements ---------------------------------------------------
    def toekenning(self, bh: BH, pr: Product, sn: bool, ingang: date | None = None,
                   einde: date | None = None) -> Toekenning:
        rng = self.rng
        if ingang is None:
            r = rng.random()
            if r < 0.7:
                ingang = self.ys
            else:
                ingang = date(self.jaar, rng.randint(2, 9), 1)
        if einde is None:
            r = rng.random()
            if r < 0.75 or ingang.month > 6:
                einde = self.ye if rng.random() < 0.6 else _add_years(ingang, 1) - timedelta(days=1)
            else:
                einde = _month_end(date(self.jaar, rng.randint(max(ingang.month + 3, 8), 11), 1))
        aanvraag = ingang - timedelta(days=rng.randint(25, 75))
        besluit = aanvraag + timedelta(days=rng.randint(7, 24))
        t = Toekenning(f"TK{self.jaar}-{self.nid('tk'):06d}", bh.id, pr, sn, ingang, einde,
                       aanvraag, besluit, toestemming=None if rng.random() < 0.7 else False)
        t.tarief_ct = self.reg.price_ct(pr, sn)
        t.omvang_factor = 1.2 + rng.random() * 0.4
        bh.toekenningen.append(t)
        return t

    def afspraak(self, bh: BH, zv: Zorgverlener, tk: Toekenning | None, pr: Product, relatie: str,
                 soort: str, tarief_ct: int, mode: str, aantallen: tuple, oms: tuple,
                 per_week: int | None = None, start: date | None = None, end: date | None = None) -> Afspraak:
        rng = self.rng
        if tk is not None:
            s = tk.ingang
            if tk.aanvraag and tk.aanvraag > s and not tk.toestemming:
                s = tk.aanvraag
            start = start or s + timedelta(days=rng.randint(0, 10))
            end = end or min(tk.einde, self.ye)
            zo_ingang = tk.ingang if rng.random() < 0.7 else min(start, tk.ingang + timedelta(days=rng.randint(0, 5)))
            zo_einde = None if rng.random() < 0.5 else tk.einde
        else:
            zo_ingang = start
            zo_einde = None
        if bh.overleden:
            end = min(end, bh.overleden)
        if per_week is None:
            per_week = 2
        wd_pool = [0, 1, 2, 3, 4] + ([5] if relatie != "geen" else [])
        weekdays = tuple(sorted(rng.sample(wd_pool, min(per_week, len(wd_pool)))))
        a = Afspraak(f"ZO{self.nid('zo'):06d}", bh, zv, tk, pr, relatie, soort, tarief_ct, start, end,
                     zo_ingang, zo_einde, mode=mode, per_week=per_week, weekdays=weekdays,
                     aantallen=aantallen, oms=oms)
        bh.afspraken.append(a)
        zv.bh.append(bh.id)
        # Losser art. 7.2 lid 2: a VOG dated shortly before the agreement starts (no random draw)
        if (zv.vog is not None and zv.skj is None and zv.big is None and relatie != "ouder"
                and zv.soort in ("zzp", "sociaal_netwerk", "overig_niet_professioneel") and zo_ingang is not None):
            zv.vog = zo_ingang - timedelta(days=20 + len(self.zorgverleners) % 60)
        return a

    def line_tarief(self, norm_or_price: int, sn: bool) -> int:
        """A realistic agreed tariff at or below the norm."""
        rng = self.rng
        if sn:
            opts = [c for c in (1500, 1650, 1750, 1800, 1900, 1950, 2000) if c <= norm_or_price]
            if not opts or rng.random() < 0.3:
                return norm_or_price
            return rng.choice(opts)
        if rng.random() < 0.25:
            return norm_or_price
        t = int(norm_or_price * (0.86 + rng.random() * 0.13))
        return t - t % 50 if t % 50 else t

    def plan_normal(self, bh: BH, n_tk: int, avoid: set) -> None:
        """1-3 ordinary toekenningen with their agreements."""
        rng = self.rng
        scen_w = [("zzp", 34), ("sn", 20), ("behandeling", 14), ("groep", 14), ("logeren", 6),
                  ("vervoer", 7)]
        if self.do["KM"]:
            scen_w.append(("km", 5))
        chosen: list[str] = []
        tries = 0
        while len(chosen) < n_tk and tries < 30:
            tries += 1
            tot = sum(w for _, w in scen_w)
            x = rng.uniform(0, tot)
            for s, w in scen_w:
                x -= w
                if x <= 0:
                    break
            if s in chosen or s in avoid:
                continue
            if s == "vervoer" and "km" in chosen or s == "km" and "vervoer" in chosen:
                continue
            chosen.append(s)
        for s in chosen:
            self.scenario(bh, s)

    def scenario(self, bh: BH, s: str, **kw) -> Afspraak | None:
        rng, reg = self.rng, self.reg
        if bh.heel_jaar:
            kw.setdefault("ingang", self.ys)
            kw.setdefault("einde", self.ye)
        used_products = {t.product.code for t in bh.toekenningen} | {a.product.code for a in bh.afspraken}
        if s == "zzp":
            pr = reg.product("begeleiding_individueel", "uur")
            if pr is None or pr.code in used_products:
                pr = reg.product("persoonlijke_verzorging", "uur")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = kw.get("zv") or self.zzp()
            mode = "week" if rng.random() < 0.2 else "sessies"
            return self.afspraak(bh, zv, tk, pr, "geen", "opdracht", self.line_tarief(tk.tarief_ct, False), mode,
                                 (100, 150, 200, 250, 300), OMS["zzp"], per_week=rng.randint(1, 3))
        if s == "sn":
            cands = [p for p in (reg.product("begeleiding_individueel", "uur"), reg.product("persoonlijke_verzorging", "uur"))
                     if p is not None and p.code not in used_products and reg.sn_allowed(p.categorie)]
            if not cands:
                return None
            pr = rng.choice(cands)
            tk = self.toekenning(bh, pr, True, kw.get("ingang"), kw.get("einde"))
            kind = kw.get("kind") or rng.choice(
                (("ouder", "oma", "oma", "tante", "buur") if self.parents_care and not bh.geplant
                 else ("oma", "oma", "tante", "buur")))
            zv, rel = self.sn_person(bh, kind)
            mode = "week" if rng.random() < 0.25 else "sessies"
            return self.afspraak(bh, zv, tk, pr, rel, "familiehulp" if rel != "bekende" else "arbeidsovereenkomst",
                                 self.line_tarief(tk.tarief_ct, True), mode, (100, 150, 200, 300, 400), OMS["sn"],
                                 per_week=rng.randint(1, 3))
        if s == "behandeling":
            pr = reg.product("behandeling_individueel", "uur")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (75, 100, 150), OMS["behandeling"], per_week=1)
        if s == "groep":
            pr = rng.choice([p for p in (reg.product("begeleiding_groep"), reg.product("behandeling_groep"))
                             if p is not None] or [None])
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (100, 100, 200), OMS["groep"], per_week=rng.randint(1, 3))
        if s == "logeren":
            pr = reg.product("kortdurend_verblijf")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling(pr.categorie)
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "weekend", (200,), OMS["verblijf"], per_week=1)
        if s == "vervoer":
            pr = reg.product("vervoer")
            if pr is None or pr.code in used_products:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            zv = self.instelling("vervoer")
            return self.afspraak(bh, zv, tk, pr, "geen", "zorginstelling", self.line_tarief(tk.tarief_ct, False),
                                 "sessies", (200, 200, 100), OMS["vervoer"], per_week=rng.randint(1, 3))
        if s == "km":
            pr = reg.product("vervoer")
            if pr is None or pr.code in used_products or not reg.vervoer:
                return None
            tk = self.toekenning(bh, pr, False, kw.get("ingang"), kw.get("einde"))
            # km allowance: "de ouders of iemand uit het sociaal netwerk" drive (De Ronde Venen art. 6.2 onder 3)
            zv, rel = kw.get("zv") or self.sn_person(bh, "tante")
            a = self.afspraak(bh, zv, tk, pr, rel, "familiehulp", tk.tarief_ct, "km", (200,), OMS["km"], per_week=1)
            a.km_e1 = rng.randint(85, 350)
            return a
        raise ValueError(s)

    # ---- lines ------------------------------------------------------------------------
    def _line(self, a: Afspraak, van: date, tot: date, aantal: int, tarief: int | None = None,
              oms: str | None = None, land: str = "", km_e1: int | None = None, bedrag: int | None = None,
              tag: str = "", frozen: bool = False) -> list:
        rnd = self.rng.random
        tarief = a.tarief_ct if tarief is None else tarief
        if bedrag is None:
            bedrag = (aantal * tarief + 50) // 100
        tk_id = a.tk.id if (a.tk is not None and rnd() < a.fill_tk) else ""
        zo_id = a.id if rnd() < a.fill_zo else ""
        if oms is None:
            oms = a.oms[int(rnd() * len(a.oms))]
        return [a.bh.id, a.zv.id, zo_id, tk_id, van.toordinal(), tot.toordinal(), a.product.code,
                a.product.eenheid, aantal, tarief, bedrag, oms, land or a.land, km_e1, tag, frozen, None]

    def gen_lines(self, a: Afspraak) -> None:
        rng = self.rng
        if a.start > a.end:
            return
        if a.mode == "aanwending_net":
            a.lines.append(self._line(a, a.start, a.start, rng.choice(a.aantallen)))
            a.start += timedelta(days=1)
            a.mode = "sessies"
        out = a.lines
        if a.mode == "maand":
            m = a.start.replace(day=1)
            while m <= a.end:
                van, tot = max(m, a.start), min(_month_end(m), a.end)
                out.append(self._line(a, van, tot, a.aantallen[0], bedrag=a.vast_ct,
                                      tarief=(a.vast_ct * 100) // a.aantallen[0], oms="vaste maandvergoeding"))
                m = _add_months(m, 1)
            return
        if a.mode == "weekend":
            m = a.start.replace(day=1)
            while m <= a.end:
                fridays = [m + timedelta(days=k) for k in range(31) if (m + timedelta(days=k)).month == m.month
                           and (m + timedelta(days=k)).weekday() == 4]
                for fr in sorted(rng.sample(fridays, rng.randint(1, 2))):
                    su = fr + timedelta(days=2)
                    if fr >= a.start and su <= a.end and su.month == fr.month:
                        out.append(self._line(a, fr, su, 200))
                m = _add_months(m, 1)
            return
        monday = a.start - timedelta(days=a.start.weekday())
        s_ord, e_ord = a.start.toordinal(), a.end.toordinal()
        skip = 0.06
        rnd = rng.random
        eigen_week: dict[tuple[int, int], int] = {}
        while monday <= a.end:
            mo = monday.toordinal()
            if a.mode in ("week", "km"):
                # Monday..Sunday, clipped to the care window and to the month
                days = [d for d in range(mo, mo + (5 if a.mode == "km" else 7)) if s_ord <= d <= e_ord]
                if days:
                    groups: dict[int, list[int]] = {}
                    for d in days:
                        groups.setdefault(date.fromordinal(d).month, []).append(d)
                    for grp in groups.values():
                        if rng.random() < skip:
                            continue
                        n_sess = max(1, round(a.per_week * len(grp) / (5 if a.mode == "km" else 7)))
                        van, tot = date.fromordinal(grp[0]), date.fromordinal(grp[-1])
                        if a.mode == "km":
                            trips = 2 * len(grp) if rng.random() < 0.5 else 2 * max(1, len(grp) - 1)
                            km = a.km_e1
                            drempel = int(_D(str(self.reg.vervoer["km_drempel_enkele_reis"])) * 10)
                            kmt = _D(str(self.reg.vervoer["km_tarief"]))
                            per_trip = int((kmt * _D(max(0, km - drempel)) / 10 * 100).to_integral_value(ROUND_FLOOR))
                            # art. 6.1: an ISO week's first eigen_ritten_per_week trips are the parents' own;
                            # all trips are listed, the tarief spreads the allowance of the paid ones
                            wk = van.isocalendar()[:2]
                            eigen = min(trips, max(0, self.reg.vervoer.get("eigen_ritten_per_week", 0) - eigen_week.get(wk, 0)))
                            eigen_week[wk] = eigen_week.get(wk, 0) + eigen
                            tarief = (trips - eigen) * per_trip // trips
                            out.append(self._line(a, van, tot, trips * 100, tarief=tarief,
                                                  km_e1=km, bedrag=trips * tarief))
                        else:
                            aantal = sum(rng.choice(a.aantallen) for _ in range(n_sess))
                            out.append(self._line(a, van, tot, aantal))
            else:
                for wd in a.weekdays:
                    d = mo + wd
                    if d < s_ord or d > e_ord or rnd() < skip:
                        continue
                    dd = date.fromordinal(d)
                    out.append(self._line(a, dd, dd, a.aantallen[int(rnd() * len(a.aantallen))]))
            monday += timedelta(days=7)

    # ---- the monthly-total rule --------------------------------------------------------
    def vary_months(self, bh: BH) -> None:
        """No 3 consecutive months with equal totals per (budgethouder, zorgverlener):
        make every month's total aantal differ from the previous month's."""
        by_zv: dict[str, list[Afspraak]] = {}
        for a in bh.afspraken:
            by_zv.setdefault(a.zv.id, []).append(a)
        for zv_id, afs in by_zv.items():
            if any(a.werkafspraak == "vast_maandbedrag" for a in afs):
                continue
            months: dict[tuple[int, int], list[list]] = {}
            for a in afs:
                for ln in a.lines:
                    d = date.fromordinal(ln[L_VAN])
                    months.setdefault((d.year, d.month), []).append(ln)
            keys = sorted(months)
            prev_tot = None
            prev_key = None
            for k in keys:
                lns = months[k]
                tot = (sum(ln[L_AANTAL] for ln in lns), sum(ln[L_BEDRAG] for ln in lns))
                consecutive = prev_key is not None and (
                    (prev_key[0] * 12 + prev_key[1]) + 1 == k[0] * 12 + k[1])
                if consecutive and tot == prev_tot:
                    cand = [ln for ln in lns if not ln[L_FROZEN] and ln[L_KM] is None]
                    target = lns
                    if not cand:
                        target = months[prev_key]
                        cand = [ln for ln in target if not ln[L_FROZEN] and ln[L_KM] is None]
                    if cand:
                        ln = cand[-1]
                        step = 50 if ln[L_EENH] == "uur" else 100
                        ln[L_AANTAL] += step
                        ln[L_BEDRAG] = (ln[L_AANTAL] * ln[L_TARIEF] + 50) // 100
                        tot = (sum(x[L_AANTAL] for x in lns), sum(x[L_BEDRAG] for x in lns))
                prev_tot, prev_key = tot, k

    def truth_add(self, check: str, bh: BH, toelichting: str, lines: list | None = None) -> None:
        key = (check, bh.id)
        e = self.truth.setdefault(key, {"lines": [], "toelichting": []})
        if lines:
            e["lines"].extend(lines)
        if toelichting and toelichting not in e["toelichting"]:
            e["toelichting"].append(toelichting)
