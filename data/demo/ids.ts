/**
 * Ids of the demo records, shared by the four subgraphs' seeders so their cross-references agree.
 * The facts come from the press texts in data/seeds/ (file names in the comments).
 */
export const DEMO = {
  alliance: {
    saarbruecken: 'SL:alliance:saarbruecken', // 000, 001
    unimedkids: 'SL:alliance:homburg-unimedkids', // 001
    iserlohn: 'NW:alliance:iserlohn', // 003
    heidelberg: 'BW:alliance:heidelberg', // 004
  },
  organization: {
    impuls: 'SL:organization:impuls-soziales-management', // 000
    regionalverbandSaarbruecken: 'SL:organization:regionalverband-saarbruecken', // 000
    msgff: 'SL:organization:msgff', // 001
    uniSaarland: 'SL:organization:universitaet-des-saarlandes', // 001
    uniklinikumSaarland: 'SL:organization:universitaetsklinikum-des-saarlandes', // 001
    servicestelle: 'DE:organization:servicestelle-lokale-buendnisse', // 001
    sihk: 'NW:organization:sihk-hagen', // 003
    agenturIserlohn: 'NW:organization:agentur-fuer-arbeit-iserlohn', // 003
    stadtIserlohn: 'NW:organization:stadt-iserlohn', // 003
    kju: 'NW:organization:kreis-junger-unternehmer', // 003
    kreishandwerkerschaft: 'NW:organization:kreishandwerkerschaft-maerkischer-kreis', // 003
    agvRuhrLenne: 'NW:organization:arbeitgeberverband-ruhr-lenne', // 003
    evKirchengemeinden: 'NW:organization:ev-kirchengemeinden-iserlohn', // 003
    kathKirchengemeinden: 'NW:organization:kath-kirchengemeinden-iserlohn', // 003
    wohlfahrtsverbaende: 'NW:organization:wohlfahrtsverbaende-iserlohn', // 003
    beratungsstelle: 'NW:organization:beratungsstelle-eltern-kinder-jugendliche', // 003
    regenbogen: 'NW:organization:regenbogen-kinderbetreuung-kju', // 003
    liba: 'ST:organization:liba', // 002
    zfa: 'ST:organization:zentrum-familie-alleinerziehende', // 002
    awo: 'ST:organization:awo', // 002
    drkBoerde: 'ST:organization:drk-boerde', // 002
    landkreisBoerde: 'ST:organization:landkreis-boerde', // 002
    jobcenterBoerde: 'ST:organization:jobcenter-boerde', // 002
    familienzentrumJena: 'TH:organization:familienzentrum-jena', // 002
    familienforschungBw: 'BW:organization:familienforschung-bw', // 004
    kvjs: 'BW:organization:kvjs', // 004
  },
  membership: {
    impulsSaarbruecken: 'SL:membership:saarbruecken-impuls',
    // Iserlohn's members are keyed `NW:membership:iserlohn-<organization key>`.
  },
  network: {
    landesnetzwerkSaarland: 'SL:network:landesnetzwerk-saarland', // 001
    argeBw: 'BW:network:arge-netzwerk-familie-bw', // 004
    rheinNeckar: 'BW:network:metropolregion-rhein-neckar', // 004
    bundesinitiative: 'DE:network:bundesinitiative', // 000, 001
    familienakteureBoerde: 'ST:network:familienakteure-boerde', // 002
  },
  meeting: {
    landesnetzwerktreffen16: 'SL:meeting:landesnetzwerktreffen-16', // 001
    fachtagHaldensleben: 'ST:meeting:fachtag-haldensleben-2019', // 002
  },
  project: {
    helfendeHaende: 'ST:project:helfende-haende', // 002
    familienserviceRundum: 'ST:project:familienservice-rundum', // 002
    awoLifebalance: 'ST:project:awo-lifebalance', // 002
    unimedkidsKurzzeitbetreuung: 'SL:project:unimedkids-kurzzeitbetreuung', // 001
    iserlohnNachmittagsbetreuung: 'NW:project:iserlohn-nachmittagsbetreuung', // 003
    heidelbergTeilzeitausbildung: 'BW:project:heidelberg-teilzeitausbildung', // 004
    heidelbergTeilzeitWiedereinstieg: 'BW:project:heidelberg-teilzeit-wiedereinstieg', // 004
    heidelbergFerienbetreuung: 'BW:project:heidelberg-ferienbetreuung', // 004
    heidelbergFamiliensporttag: 'BW:project:heidelberg-familiensporttag', // 004
    heidelbergGutscheinbooklet: 'BW:project:heidelberg-gutscheinbooklet-familiensport', // 004
    buendnisVorOrtHandwerk: 'BW:project:buendnis-vor-ort-handwerk', // 004
    stillUndWickelpunkt: 'BW:project:still-und-wickelpunkt', // 004
  },
  person: {
    kemmer: 'SL:person:michael-kemmer', // 000
    altmeierKoletzki: 'SL:person:mirjam-altmeier-koletzki', // 000
    braemer: 'ST:person:evelyn-braemer', // 002
    frommann: 'ST:person:stefanie-frommann', // 002
    kutz: 'ST:person:rebecca-kutz', // 002
    oelke: 'ST:person:mandy-oelke', // 002
    gottschalk: 'ST:person:franka-gottschalk', // 002
    borkowski: 'ST:person:birgit-borkowski', // 002
    moser: 'BW:person:aline-moser', // 004
  },
} as const;
