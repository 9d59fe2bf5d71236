"""Role and category aliases in the European languages practitioners write their tables in:
German, French, Spanish, Italian, Dutch, Finnish and the Scandinavian languages (Kalundborg's
Danish), merged into the tables of :mod:`symbiosis.vocabulary.aliases`.

A word is here only when it names one role (or one category) in every language that writes
it; a word that could be two is left out, and the user writes the English role instead:

- ``Entsorgung``, ``Entsorger``, ``Beseitigung`` (waste management: treatment or disposal),
  ``Aufbereitung`` (processing or treatment), ``Station``, ``stockage``, ``vertido``,
  ``waterzuivering`` (sewage or drinking water), ``Halde`` (a spoil heap, or a stockpile);
- ``Biogasanlage``, ``méthanisation`` (recycling as anaerobic digestion, or a utility),
  ``vesilaitos`` (a Finnish water utility that also treats the sewage);
- ``Wasser``, ``eau``, ``agua`` (a water body, or the waterworks), ``Endverbraucher`` (the
  market's end user, or a household), ``Grube`` (a mine, or a landfill pit), ``effluent``
  (wastewater, a waste, or a discharge, an emission), ``Sekundärrohstoff`` (a by-product or
  recovered waste);
- words of another meaning in another language or in English: ``See`` (a lake; English
  "see"), ``central`` (Spanish power station; English "central"), ``marked`` (Danish market),
  ``stort`` (Dutch dump; Danish "big"), ``sol`` (French soil; Spanish sun), ``mar``,
  ``cava`` (Italian quarry; Spanish wine), ``verk``, acronyms that are units or words (``MVA``
  the megavolt-ampere, ``STEP``, ``ARA``, ``AVI``).

Case and spacing are ignored, as for every alias; a word with an umlaut or an accent is
read written without it too (``Klaeranlage``, ``Klaranlage``, ``decharge``: see
:func:`symbiosis.vocabulary.roles.spellings`). A name of a hazardous-waste landfill or
hazardous waste (``Sondermülldeponie``, ``déchets dangereux``, ``residuos peligrosos``,
``gevaarlijk afval``, ``vaarallinen jäte``, ``rifiuti pericolosi``) marks the node or flow
hazardous, as the English one does.
"""

from __future__ import annotations

__all__ = ["EUROPEAN_CATEGORY_ALIASES", "EUROPEAN_ROLE_ALIASES"]

EUROPEAN_ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "firm": (
        # German
        *("firma", "unternehmen", "betrieb", "werk", "fabrik", "hersteller", "erzeuger"),
        *("industrie", "industriebetrieb", "produktionsbetrieb", "anlage", "hafen"),
        *("landwirtschaft", "bauernhof"),
        # French
        *("entreprise", "société", "usine", "fabricant", "producteur", "établissement"),
        *("site industriel", "exploitation agricole", "ferme"),
        # Spanish, Italian
        *("empresa", "fábrica", "planta", "compañía", "industria", "instalación", "granja"),
        *("puerto", "fabricante", "productor", "azienda", "impresa", "stabilimento"),
        *("impianto", "fabbrica", "porto"),
        # Dutch, Finnish, Scandinavian
        *("bedrijf", "fabriek", "onderneming", "installatie", "boerderij", "haven"),
        *("yritys", "tehdas", "tuotantolaitos", "maatila", "satama"),
        *("virksomhed", "företag"),
    ),
    "extraction": (
        *("bergwerk", "bergbau", "tagebau", "steinbruch", "zeche"),
        *("carrière", "exploitation minière", "mina", "cantera", "minería"),
        *("miniera", "mijn", "groeve", "kaivos", "louhos", "gruva", "stenbrud"),
    ),
    "recycling": (
        *("recyclinghof", "wertstoffhof", "recyclinganlage", "recyclingbetrieb"),
        *("sortieranlage", "verwertung", "kompostierung", "kompostieranlage", "kompostwerk"),
        *("schrotthandel", "schrotthändler", "schrottplatz"),
        *("recycleur", "centre de recyclage", "déchetterie", "déchèterie", "centre de tri"),
        *("compostage", "plateforme de compostage", "ferrailleur"),
        *("recicladora", "planta de reciclaje", "centro de reciclaje", "punto limpio"),
        *("chatarrería", "compostaje", "riciclo", "impianto di riciclo", "compostaggio"),
        *("recyclingbedrijf", "milieustraat", "recyclagepark", "schroothandel"),
        *("composteerbedrijf", "kierrätyslaitos", "kierrätysyritys", "kompostointilaitos"),
        *("genbrugsplads", "återvinningscentral"),
    ),
    "treatment": (
        *("kläranlage", "klärwerk", "abwasserbehandlungsanlage", "abwasserreinigungsanlage"),
        *("müllverbrennungsanlage", "abfallverbrennungsanlage", "verbrennungsanlage"),
        *("müllheizkraftwerk", "behandlungsanlage", "abfallbehandlungsanlage"),
        *("sondermüllverbrennungsanlage", "sonderabfallverbrennungsanlage"),
        *("station d'épuration", "station de traitement des eaux usées", "incinérateur"),
        *("usine d'incinération", "uiom", "usine de traitement", "centre de traitement"),
        *("depuradora", "edar", "ptar", "planta de tratamiento", "incineradora"),
        *("planta depuradora", "planta de tratamiento de aguas residuales"),
        *("depuratore", "inceneritore", "termovalorizzatore", "impianto di trattamento"),
        *("rwzi", "rioolwaterzuivering", "rioolwaterzuiveringsinstallatie"),
        *("afvalverbrandingsinstallatie", "afvalverbranding"),
        *("jätevedenpuhdistamo", "jätteenpolttolaitos", "renseanlæg", "reningsverk"),
        *("forbrændingsanlæg", "avfallsförbränning"),
    ),
    "utility": (
        *("kraftwerk", "heizkraftwerk", "heizwerk", "blockheizkraftwerk", "bhkw"),
        *("kohlekraftwerk", "gaskraftwerk", "elektrizitätswerk", "fernwärme", "wasserwerk"),
        *("stadtwerke", "energieversorger"),
        *("centrale", "centrale électrique", "centrale thermique", "chaufferie"),
        *("centrale de cogénération", "réseau de chaleur", "central eléctrica"),
        *("central térmica", "cogeneración", "red de calor", "potabilizadora"),
        *("centrale elettrica", "teleriscaldamento", "cogenerazione", "acquedotto"),
        *("elektriciteitscentrale", "warmtekrachtcentrale", "stadsverwarming", "warmtenet"),
        *("waterleidingbedrijf", "energiebedrijf", "voimalaitos", "voimala", "lämpövoimala"),
        *("lämpölaitos", "kaukolämpö", "energiayhtiö", "kraftværk", "kraftverk"),
        *("värmeverk", "fjernvarme", "fjärrvärme"),
    ),
    "household": (
        *("haushalte", "haushalt", "privathaushalte", "einwohner", "bevölkerung", "stadt"),
        *("gemeinde", "verbraucher", "ménages", "ménage", "habitants", "ville", "commune"),
        *("municipalité", "consommateurs", "hogares", "viviendas", "habitantes", "ciudad"),
        *("municipio", "población", "consumidores", "famiglie", "abitanti", "città"),
        *("comune", "huishoudens", "huishouden", "inwoners", "stad", "gemeente"),
        *("consumenten", "kotitaloudet", "kotitalous", "asukkaat", "kaupunki", "kunta"),
        *("husholdninger", "hushåll"),
    ),
    "distributor": (
        *("netzbetreiber", "großhändler", "großhandel", "distributeur", "grossiste"),
        *("distribuidor", "mayorista", "distributore", "grossista", "groothandel"),
        *("netbeheerder", "tukkukauppa", "jakelija"),
    ),
    "market": (
        *("markt", "weltmarkt", "einfuhr", "ausfuhr", "absatz", "kunde", "kunden"),
        *("lieferant", "marché", "importation", "importations", "exportation"),
        *("exportations", "clients", "fournisseur", "ventes", "demande finale"),
        *("mercado", "importación", "importaciones", "exportación", "exportaciones"),
        *("clientes", "proveedor", "ventas", "demanda final", "mercato", "clienti"),
        *("afzet", "klanten", "leverancier", "invoer", "uitvoer", "markkinat", "tuonti"),
        *("vienti", "asiakkaat", "marknad"),
    ),
    "disposal": (
        *("deponie", "mülldeponie", "hausmülldeponie", "bergehalde", "müllkippe"),
        *("schlackenhalde", "aschedeponie", "sondermülldeponie", "sonderabfalldeponie"),
        *("décharge", "centre d'enfouissement", "terril", "décharge de déchets dangereux"),
        *("vertedero", "relleno sanitario", "escombrera", "botadero", "relaves"),
        *("depósito de relaves", "vertedero de residuos peligrosos", "discarica"),
        *("discarica per rifiuti pericolosi", "stortplaats", "vuilstort"),
        *("stortplaats voor gevaarlijk afval", "kaatopaikka", "rikastushiekka-allas"),
        *("vaarallisen jätteen kaatopaikka", "deponi"),
    ),
    "environment": (
        *("umwelt", "luft", "atmosphäre", "fluss", "meer", "natur", "boden", "grundwasser"),
        *("oberflächenwasser", "gewässer", "vorfluter"),
        *("environnement", "atmosphère", "rivière", "fleuve", "lac", "mer"),
        *("nappe phréatique", "eaux souterraines", "milieu naturel", "milieu"),
        *("medio ambiente", "ambiente", "atmósfera", "aire", "río", "lago", "suelo"),
        *("agua subterránea", "naturaleza", "atmosfera", "fiume", "acque sotterranee"),
        *("lucht", "atmosfeer", "rivier", "zee", "bodem", "grondwater", "oppervlaktewater"),
        *("natuur", "ympäristö", "ilma", "ilmakehä", "joki", "järvi", "meri", "maaperä"),
        *("pohjavesi", "luonto", "miljø", "miljö"),
    ),
}

EUROPEAN_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "product": (
        *("produkt", "produkte", "hauptprodukt", "erzeugnis", "produit", "produits"),
        *("produit principal", "producto", "productos", "prodotto", "prodotti"),
        *("producten", "tuote", "tuotteet"),
    ),
    "by-product": (
        *("nebenprodukt", "nebenprodukte", "koppelprodukt", "sous-produit", "sous-produits"),
        *("coproduit", "subproducto", "subproductos", "sottoprodotto", "sottoprodotti"),
        *("bijproduct", "bijproducten", "sivutuote", "sivutuotteet", "biprodukt"),
    ),
    "waste": (
        *("abfall", "abfälle", "reststoff", "reststoffe", "rückstand", "rückstände", "müll"),
        *("abwasser", "industrieabfall", "gefährlicher abfall", "gefährliche abfälle"),
        *("sonderabfall", "sondermüll", "nicht gefährliche abfälle"),
        *("déchet", "déchets", "résidu", "résidus", "déchets dangereux"),
        *("déchets non dangereux", "déchets industriels", "eaux usées"),
        *("residuo", "residuos", "desecho", "desechos", "residuos peligrosos"),
        *("residuos no peligrosos", "aguas residuales", "rifiuto", "rifiuti"),
        *("rifiuti pericolosi", "rifiuti non pericolosi", "acque reflue"),
        *("afval", "afvalstoffen", "reststof", "reststoffen", "gevaarlijk afval"),
        *("afvalwater", "jäte", "jätteet", "vaarallinen jäte", "jätevesi", "affald", "avfall"),
    ),
    "emission": (
        *("emissionen", "abgas", "abgase", "luftemissionen", "émission", "émissions"),
        *("rejet", "rejets", "emisión", "emisiones", "emissione", "emissioni"),
        *("emissie", "emissies", "uitstoot", "päästö", "päästöt", "utsläpp"),
    ),
}
