"""The crisis screen's Spanish rules: the same categories and signals as the English ones.

Neutral Spanish as people write it in chat, from Spain to the Río de la Plata: the text is
folded to lower case without accents ("suicidarme", "quiero morir", "estaria mejor muerto"),
chat forms are spelled out ("q" -> "que", "kiero" -> "quiero", "xq" -> "porque", "toy" ->
"estoy") and stretched letters shrink ("moriiiir"). The rules are regular expressions over the
inflected forms that matter (first person, infinitive with its pronoun, "me quiero morir" and
"quiero morirme"), with figures of speech first: "me muero de ganas", "me mata este proceso",
"lo maté en la entrevista", "me muero por trabajar ahí", "prefiero morir antes que volver",
"suicidio profesional". Negation works as in English: "no quiero morir" counts for nothing,
"no quiero vivir" is a rule of its own.

Behind the rules, a broad net asks (a CHECK) when a sentence holds a word of dying,
disappearing, ending it, a method or self-harm next to a first-person word ("ojalá me pase
algo"), unless it is a figure of speech or about someone else.

`might_be_spanish` is the cheap test that lets English text skip these rules.
"""

from __future__ import annotations

import re
import unicodedata
from operator import itemgetter

from coaching.safety_match import STEM_LENGTH, RuleSet, expand
from coaching.safety_types import NOTHING, Category, CrisisSignal, Screening

# --- Normalising ------------------------------------------------------------------------------

_SENTENCE = re.compile(r"([.!?;…]+)(?=\s|$)")
_NON_WORD = re.compile(r"[^\w.\x00]+|_")
_CLAUSE = re.compile(r"[,:;—–]+|\s-+\s")  # a comma, colon or dash between clauses
_STRAY_DOT = re.compile(r"\.(?:(?<=\w\.)|(?=\w))")
_STRETCH = re.compile(r"([^\W\d_])\1\1+")
_K_BEFORE_E_I = re.compile(r"^k(?=[ei])|(?<=[aeiou])k(?=[ei])")
_SLANG = {
    "q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque",
    "xk": "porque", "pk": "porque", "porq": "porque", "x": "por", "tb": "tambien",
    "tmb": "tambien", "tbn": "tambien", "toy": "estoy", "tas": "estas", "ta": "esta",
    "pa": "para", "d": "de", "m": "me", "t": "te", "nd": "nada", "mñn": "manana",
    "mnn": "manana", "dsp": "despues", "bn": "bien", "kiero": "quiero", "qiero": "quiero",
    "kero": "quiero", "qero": "quiero", "quero": "quiero", "kisiera": "quisiera",
    "nose": "no se", "vdd": "verdad", "ntp": "no te preocupes", "aki": "aqui", "yaa": "ya",
    "matarne": "matarme", "morime": "morirme", "sucidarme": "suicidarme",
    "suisidarme": "suicidarme", "suisidio": "suicidio", "sucidio": "suicidio",
    "quitarne": "quitarme",
}  # fmt: skip
_KILLED = re.compile(r"\bmató\b")
_ACCENTS = re.compile("[\u0300-\u036f]+")  # combining marks: "é" is "e" and a mark
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})


def words(text: str) -> list[str]:
    """The words the Spanish rules read: lower case, no accents, " . " between sentences."""
    return _tokens(text)[0]


def _tokens(text: str) -> tuple[list[str], set[int]]:
    """The words, and the indices of those a comma, colon or dash came before."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        # "me mató" (it killed me) must not become "me mato" (I kill myself)
        folded = _KILLED.sub("matoel", folded)
        folded = _ACCENTS.sub("", unicodedata.normalize("NFD", folded))
    if "@" in folded:
        folded = folded.replace("@", "a")
    if "." in folded or "!" in folded or "?" in folded or ";" in folded or "…" in folded:
        folded = _SENTENCE.sub(lambda m: " " if "…" in m[1] or ".." in m[1] else " . ", folded)
    if "," in folded or ":" in folded or "-" in folded or "—" in folded:
        folded = _CLAUSE.sub(" \x00 ", folded)
    folded = _NON_WORD.sub(" ", folded)
    if "." in folded:
        folded = _STRAY_DOT.sub(" ", folded)
    stretched = _STRETCH.search(folded) is not None
    out: list[str] = []
    breaks: set[int] = set()
    for token in folded.split():
        if token == "\x00":
            breaks.add(len(out))
            continue
        if token == ".":
            if out and out[-1] != ".":
                out.append(".")
            continue
        if not token.isalpha() and not token.isdigit():
            letters = sum(ch.isalpha() for ch in token)
            if letters >= len(token) - letters:
                token = token.translate(_LEET)
        if "k" in token:
            token = _SLANG.get(token) or _K_BEFORE_E_I.sub("qu", token)
        if stretched:
            token = _STRETCH.sub(r"\1", token)
        fixed = _SLANG.get(token)
        if fixed is None:
            out.append(token)
        else:
            out.extend(fixed.split())
    if out and out[-1] == ".":
        out.pop()
    return out, breaks


def normalise(text: str) -> str:
    """The Spanish rules' view of `text`: ``normalise("¡Q ganas de MORIRMEEE!")`` is
    ``"que ganas de morirme"``."""
    return " ".join(words(text))


# --- The rules --------------------------------------------------------------------------------

_NEG = r"(?:no|nunca|jamas|ni|tampoco|nada)"
_MACROS = {
    # one word that is not a negation, a "but" or the end of a sentence
    "<w>": r"(?:(?!(?:no|nunca|jamas|ni|pero|aunque|\.)(?![^ ]))[^ ]+)",
    "<end>": r"(?= \.|$| jaja| jeje| lol| xd| de verdad| en serio| ya| la verdad| sinceramente)",
    "<when>": r"(?:esta noche|hoy|manana|pasado manana|ahora|ahora mismo|ahorita|ya mismo|pronto"
    r"|este (?:fin de semana|finde|lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
    r"|esta (?:semana|tarde|madrugada|vez)|el (?:lunes|martes|miercoles|jueves|viernes|sabado"
    r"|domingo)|despues de (?:la|esta|mi) \w+|en cuanto \w+(?: \w+)?|antes del? \w+)",
    "<queremos>": r"(?:quiero|queria|quisiera|quiera|deseo|desearia|deseaba|necesito|prefiero"
    r"|preferiria|me gustaria|tengo ganas de|ganas de|me dan ganas de|solo quiero|ojala pudiera"
    r"|me encantaria|sueno con|estoy list[oa] para|estoy por)",
    # to die, in the forms a wish takes; not "morir de risa", "morir por un puesto"
    "<morir>": r"(?:morir(?:me|se)?|muera|muriera|muriese|morire|moriria|morirm)"
    r"(?! (?:de|del|con) (?:la |el |puro |pura |tanta |tanto |tan |lo |los )?(?:verguenza"
    r"|risa|ganas|hambre|sueno|nervios|envidia|calor|frio|curiosidad|aburrimiento|pena|miedo"
    r"|cansancio|sed|amor|ansiedad|emocion|felicidad|alegria|asco|viej[oa]|un infarto"
    r"|espera|estres|la risa|angustia|intriga|impaciencia|susto|cringe)| por (?!mi propia mano)"
    r"| en el intento| en la raya| antes (?:que|de)| mil veces)",
    # to kill oneself: the reflexive first person and the infinitive with "me"
    "<matarme>": r"(?:(?:matarme|me mato|me mate|me matare|me mataria|me matase|me matara"
    r"|me (?:voy a|iba a|quiero|queria|quisiera|pienso|puedo|podria) (?:matar|quitar la vida"
    r"|suicidar|ahorcar|colgar)"
    r"|quitarme la vida|me quito la vida|me quitare la vida|me quitaria la vida"
    r"|me (?:voy|quiero|iba) a quitar la vida|(?:acabar|terminar|acabo|termino|acabare"
    r"|terminare) con mi (?:propia )?vida|poner(?:le)? fin a mi vida|quitarme de en medio"
    r"|me quito de en medio|suicidarme|me suicido|me suicidare|me suicidaria"
    r"|me (?:voy|quiero|queria|iba) a suicidar|me quiero suicidar|me suicidaria)"
    r"(?! (?:a (?:trabajar|estudiar|currar|entrenar|chambear|laburar)|estudiando|trabajando"
    r"|currando|preparando|haciendo|entrenando|chambeando|laburando|practicando)\b))",
    "<pastillas>": r"(?:pastillas|pildoras|medicamentos|medicinas|somniferos|antidepresivos"
    r"|calmantes|tabletas|pastis|ansioliticos|benzos|clonazepam|rivotril|paracetamol"
    r"|ibuprofenos|tranquilizantes|pastillas para dormir)",
    "<alto>": r"(?:puente|edificio|balcon|ventana|azotea|techo|terraza|acantilado|piso \d+"
    r"|(?:\w+ )?piso|precipicio|tejado|viaducto|torre|quinto|decimo|barranco|mirador)",
    # after a bare "matar": an object, so someone or something else ("voy a matar al boss")
    "<objeto>": r"(?! (?:a|al|el|la|los|las|un|una|unos|unas|mi|tu|su|mis|tus|sus|este|esta|ese"
    r"|esa|eso|esto|lo|le|les|con|tiempo|rato|boss|jefe|bicho)\b)",
    # I stop being here: the phrasings burden and finality lines share
    "<no_estar>": r"(?:me muero|me muera|me muriera|me mato|me matara|desaparezco|desaparezca"
    r"|desapareciera|dejo de (?:estar|existir)|deje de (?:estar|existir)|dejara de (?:estar"
    r"|existir)|ya no estoy|ya no este|ya no estuviera|no estuviera|no existiera|no exista"
    r"|yo no (?:este|estoy)|me voy para siempre|me fuera para siempre|me suicido|me suicidara)",
    "<familia>": r"(?:todos|todo el mundo|mi familia|mis padres|mi madre|mi padre|mi mama|mi papa"
    r"|mis hijos|mi pareja|mi novi[oa]|mi espos[oa]|mi mujer|mi marido|mis herman[oa]s"
    r"|mi herman[oa]|mis amig[oa]s|la gente|el mundo|ellos|ellas|mis viejos)",
}
_C, _K, _N = CrisisSignal.CRISIS, CrisisSignal.CHECK, CrisisSignal.NONE
_INT, _PLN, _PRE = Category.INTENT, Category.PLAN, Category.PREPARATORY
_MTH, _SH, _ACT = Category.METHOD, Category.SELF_HARM, Category.ACTIVE_THOUGHTS
_WSH, _BUR, _HOP, _FIN = (
    Category.WISH_TO_BE_DEAD,
    Category.BURDEN,
    Category.HOPELESSNESS,
    Category.FINALITY,
)
# Someone else's suicide ("mi tío se suicidó"): a gentle check, its words then skipped.
_THIRD_PARTY = (
    r"se (?:suicido|suicidaron|suicida|suicidaba|mato|quito la vida|ha suicidado|han suicidado"
    r"|ha quitado la vida|(?:quiere|queria|quiso|iba a|intento|intenta) (?:suicidar|matar"
    r"|quitar la vida))|(?:murio|fallecio|perdi a \w+ \w*) (?:por|de) suicidio"
)

_RULES: tuple[tuple[Category | None, CrisisSignal, str], ...] = (
    # -- Figures of speech --------------------------------------------------------------------
    (None, _N, r"(?:prefiero|preferiria|antes) (?:<w> )?(?:morir(?:me)?|muert[oa]s?|me muero)"
     r" (?:antes )?(?:que|de) (?:<w> )?(?:volver|trabajar|ir|aceptar|hacer|usar|pedir|decir"
     r"|postular|aplicar|mandar|repetir|entrar|pasar|ver|escribir|hablar|rogar)"),
    (None, _N, r"(?:antes|ni) muert[oa]s?(?: que)?"),
    (None, _N, r"(?:me )?(?:mate|mato|matando|matarme|estoy matando|mataba|matamos) (?:<w> )?"
     r"(?:a (?:trabajar|estudiar|currar|entrenar|chambear|laburar|hacer)|estudiando|trabajando"
     r"|currando|preparando|haciendo|entrenando|chambeando|laburando|practicando|con (?:el|la"
     r"|los|las) (?:trabajo|estudio|proyecto|prueba|entrevista|portfolio|portafolio|curro))"),
    (None, _N, r"(?:jefe|jefa|madre|padre|mama|papa|pareja|novio|novia|esposo|esposa|mujer|marido"
     r"|reclutador|reclutadora|entrevistador|entrevistadora|empresa|equipo|ellos|ella"
     r"|el(?! (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|dia|mes|ano|finde|fin)\b)"
     r"|mis padres|mi familia|mis viejos|la gente) (?:<w> ){0,2}?me (?:mataria|matara|va a matar"
     r"|mata|matan|mataron|mato)"),
    (None, _N, r"(?:me|nos) mato (?:el|la|los|las|este|esta|ese|esa|eso|esto|mi|tu|su) (?!noche"
     r"|semana|tarde|madrugada|vez|fin|finde|mes|lunes|martes|miercoles|jueves|viernes|sabado"
     r"|domingo|manana|mismo|misma|dia|hoy)[^ ]+"
     r"|(?:prueba|entrevista|pregunta|proceso|reclutador|reclutadora|jefe|jefa|examen|test"
     r"|ejercicio|feedback|rechazo|espera|semana|dia|caso|reto|ingles|tecnica|respuesta"
     r"|entrevistador|entrevistadora|recruiter|llamada|oferta) (?:<w> ){0,3}?me mato"),
    (None, _N, r"(?:se )?(?:suicidio|suicida|suicido) (?:profesional|laboral|social|politico"
     r"|comercial|empresarial|financiero|economico|academico|corporativo|de (?:carrera|imagen)"
     r"|comercialmente|profesionalmente|laboralmente|socialmente|politicamente|economicamente"
     r"|financieramente)"),
    (None, _N, r"(?:lei|vi|escuche|dicen|decian|dijeron|salio|sale|supe|contaron) (?:en (?:las"
     r" noticias|la noticia|twitter|internet|el diario|el periodico|la tele) )?que (?:un|una)"
     r" (?:<w> ){1,2}?se (?:suicido|mato|quito la vida|tiro (?:de|del|desde|por|al|a la))"),
    (None, _N, r"(?:prevencion|prevenir|concienciacion|concientizacion) (?:del|de|el) suicidio"
     r"|suicidio (?:prevencion|estadisticas|tasa)|(?:linea|lineas|telefono|app|aplicacion"
     r"|campana|programa|ong|fundacion|taller|curso) (?:<w> )?(?:de|contra|para) (?:la )?"
     r"(?:prevencion|prevenir) (?:del|el) suicidio|tasa de suicidio"),
    (None, _N, r"(?:documental|libro|serie|pelicula|articulo|noticia|estudio|informe|analista"
     r"|analisis|protocolo|charla|curso|taller|tesis|podcast|reportaje|capitulo|novela)(?: (?:sobre"
     r"|de|del|la|el|los|las|en|que|trata|habla|acerca|un|una|riesgos?|tasas?|casos|prevencion"
     r"|conducta|conductas)){0,4} (?:suicid\w*|autolesi\w*)"
     r"|(?:trata|habla|va) (?:de|sobre) (?:un|una|el|la) (?:chico|chica|hombre|mujer|persona"
     r"|personaje|tipo|joven|protagonista|nino|nina|senor|senora) que se (?:quiere |queria |va a"
     r" )?(?:suicid\w*|mata|matar|quitar la vida)"),
    (None, _N, r"en (?:el |la )?(?:lol|fortnite|cod|minecraft|valorant|warzone|dota|csgo|cs|juego"
     r"|partida|server|servidor|roblox|gta|elden ring|overwatch|apex|fifa|videojuego)(?: <w>){0,2}?"
     r" (?:me )?(?:suicide|suicido|mate|mato|mori|muero)|(?:me )?(?:suicide|mate|mori|muero"
     r"|matan|mataron)(?: <w>){0,4}? en (?:el |la )?(?:lol|fortnite|cod|minecraft|valorant"
     r"|warzone|dota|csgo|roblox|gta|elden ring|overwatch|apex|fifa|juego|partida|videojuego)"),
    (None, _N, r"(?:fue|era|es|sera|seria) (?:un|todo un) suicidio(?! (?:de verdad|en serio)\b)"
     r"|(?:leyendo|leo|lei|leer|estudiando|estudio|investigando) (?:<w> ){0,3}?sobre (?:el |la )?"
     r"(?:suicidio|autolesion\w*)(?: y)?"),
    (_ACT, _K, _THIRD_PARTY),
    (None, _N, r"(?:pegue|pegarme|me pegue|dispare|dispararme|me dispare|me pego|pego) (?:un tiro"
     r"|un balazo|un disparo)? ?en (?:el|los) pies?"),
    (None, _N, r"(?:me )?(?:corte|corto|cortarme|cortaba|he cortado) (?:el|la|las|los|un poco"
     r"|mi) (?:pelo|cabello|flequillo|barba|unas|melena|puntas|fleco)"),
    (None, _N, r"(?:me )?(?:corte|corto|cortarme|he cortado) (?:<w> ){0,2}?con (?:el|un|una|la)"
     r" (?:papel|folio|sobre|cuchillo|cristal|vaso|lata|hoja de papel|tijeras) (?!a proposito"
     r"|adrede|aposta)"),
    (None, _N, r"(?:me )?(?:queme|quemo|quemarme|he quemado) (?:<w> ){0,2}?con (?:el|la|un|una)"
     r" (?:cafe|te|sarten|horno|plancha|olla|agua)"),
    (None, _N, r"(?:me tiro|tirarme|me tire|me lanzo|lanzarme|me lance|me voy a tirar) (?:de )?"
     r"(?:cabeza|a la piscina|al ruedo|de lleno|a (?:postular|aplicar|buscar|preparar)|a por"
     r"|de los pelos)"),
    (None, _N, r"(?:morir|muero|muere|murio|murieron|muerto|muerta) de (?:la )?risa|(?:me )?"
     r"(?:mori|muero|morimos|mato|mate|matando) de (?:la )?risa"),
    # -- Batches 8 and 9 (the broad net's round): kinds of phrasing the net alone only asked
    # about, said plainly enough for the crisis reply
    (_INT, _C, r"(?:tengo todo listo|ya esta todo listo) para irme|hoy es el dia(?: <w>){0,3}? no"
     r" (?:pienso|voy a|quiero) seguir|no voy a estar (?:aqui|viv[oa]) cuando (?:amanezca|salga el"
     r" sol|despierten)"),
    (_WSH, _C, r"no (?:pienso|quiero|voy a) (?:volver a )?despertar(?:me)?|(?:ojala|quisiera que"
     r"|me encantaria que|ojala que) (?:<w> ){0,3}?(?:me atropell\w*|me (?:de|diera|diese) un"
     r" infarto"
     r"|se (?:cayera|estrellara|hundiera) conmigo|me pas(?:e|ara|ase) algo(?! (?:bueno|lindo"
     r"|bonito|positivo|genial)))|(?:me encantaria|quisiera|ojala pudiera) no (?:volver a )?abrir"
     r" (?:mas )?los ojos"),
    (_ACT, _C, r"(?:fantaseo|pienso|imagino|me imagino) (?:<w> ){0,4}?(?:con |en )?(?:mi|el)"
     r" (?:propio )?(?:funeral|velorio|entierro)|(?:morirme|morir|la muerte|matarme)"
     r" (?:<w> ){0,2}?(?:seria|es|parece|me parece) (?:la |una |un )?(?:solucion|salida"
     r"|descanso|alivio)|pienso (?:<w> ){0,3}?en (?:terminar|acabar) con (?:esto|todo)"),
    (_SH, _C, r"me (?:pego|golpeo|golpee|rasguno|arranco|arano|marco|marque|volvi a marcar|corto"
     r"|quemo) (?:<w> ){0,5}?(?:hasta (?:sangrar|hacerme|que me due\w+)|contra (?:la pared|el piso"
     r"|el suelo)|con (?:la|una) (?:navaja|cuchilla))"),
    (_MTH, _C, r"(?:busco|buscando|conseguir|comprar) (?:<w> ){0,2}?(?:una pistola|un arma"
     r"|un revolver)"
     r"|meter el (?:auto|coche|carro) contra|(?:frasco|bolsa|caja) de (?:<pastillas>)"
     r" (?:<w> ){0,5}?(?:guardad|escondid)\w*|(?:saltando|tirandome|lanzandome) (?:desde|de|del"
     r"|al) (?:la azotea"
     r"|el vacio|vacio|el balcon|balcon|el puente|puente|la ventana)"),
    (_PLN, _C, r"dosis (?:que mata|letal|mortal)"),
    (_HOP, _C, r"para que seguir (?:vivo|viva|viviendo|con vida)|vivir (?:<w> ){0,2}?no vale la"
     r" pena"),
    (_BUR, _C, r"si me muero (?:<w> ){0,3}?(?:dejo de|ya no|nadie|todos|les|al menos)"),
    # -- Intent -------------------------------------------------------------------------------
    (_INT, _C, r"<when> (?:<w> ){0,5}?(?:me mato|me suicido|me quito la vida|me ahorco|me cuelgo"
     r"|acabo con (?:todo|mi vida)|termino con (?:todo|mi vida)|me tiro (?:de|del|desde|por|al|a"
     r" la|a las)|me muero(?! de| por| si))"),
    (_INT, _C, r"(?:voy a|vaya a|ire a|estoy por|me voy a|pienso|he decidido|ya decidi|decidi"
     r"|estoy decidid[oa] a|tengo decidido|lo tengo decidido|elegi|me decidi a) (?:<w> )?"
     r"(?:matarme|suicidarme|quitarme la vida|ahorcarme|colgarme|tirarme (?:de|del|desde|por|al"
     r"|a la|a las|bajo|delante)|acabar con mi vida|terminar con mi vida|poner fin a mi vida"
     r"|morir(?:me)?<when>|acabar con todo<when>|matar<objeto>|suicidar|quitar la vida"
     r"|ahorcar<objeto>)"),
    (_INT, _C, r"me voy a (?:matar|suicidar|quitar la vida|ahorcar)|voy a (?:matar<objeto>|suicidar"
     r"|quitar la vida|ahorcar<objeto>)|<matarme> (?:<w> )?<when>"),
    (_ACT, _C, r"por (?:mi )?(?:propia mano|mano propia)"),
    (_INT, _C, r"(?:hacer|hare|voy a hacer) que todo (?:se )?(?:termine|acabe) <when>"),
    (_INT, _C, r"me voy a morir (?:<w> )?<when>(?! de| por)|(?:ya )?no hay vuelta atras"
     r"(?: <w>){0,4}? (?:<matarme>|me mato|morir)"),
    (_INT, _K, r"(?:lo hago|lo hare|lo voy a hacer|voy a hacerlo|lo hago ya|hacerlo) (?:<when> )?"
     r"(?:de verdad )?(?:<end>|de una vez)|<when> lo hago<end>|ya lo he decidido|ya lo decidi"
     r"<end>|esta vez de verdad<end>|(?:lo voy a hacer|voy a hacerlo|lo hago|lo hare)(?: <w>){0,2}?"
     r" (?:ya )?(?:esta|lo tengo|lo he) decidido"),
    # -- Plan ---------------------------------------------------------------------------------
    (_PLN, _C, r"(?:un|mi|el|tengo un|tengo el) plan (?:para|de) (?:<w> )?(?:matarme|suicidarme"
     r"|quitarme la vida|morir|acabar con mi vida|terminar con mi vida)|plan suicida"),
    (_PLN, _C, r"(?:se|sabia|tengo pensado|tengo claro|he pensado|pense|elegi|decidi|planeado"
     r"|pensado|planee|he planeado|calcule|tengo decidido) (?:ya )?(?:exactamente )?(?:como"
     r"|cuando|donde|que|el dia|la fecha|el lugar|el metodo|la forma)(?: y (?:como|cuando"
     r"|donde))? (?:<w> ){0,3}?(?:matarme|suicidarme|me voy a matar|me voy a suicidar|me mato"
     r"|quitarme la vida|me quito la vida|morir|hacerlo con|usar|tirarme|ahorcarme|me tiro"
     r"|me voy a tirar)"),
    (_PLN, _C, r"(?:formas?|maneras?|metodos?|modos?) (?:mas |menos )?(?:rapid[oa]s?|facil(?:es)?"
     r"|indolor[oa]s?|doloros[oa]s?|segur[oa]s?|efectiv[oa]s?|sencill[oa]s?) (?:de|para) (?:morir"
     r"|suicidar\w*|matar(?:me|se)|quitar(?:me|se) la vida|acabar con (?:todo|mi vida))"
     r"|(?:metodos?|formas?|maneras?) (?:de|para) (?:suicid\w*|matarme|morir sin dolor)"
     r"|morir sin (?:dolor|sufrir)"),
    (_PLN, _C, r"cuant[oa]s? (?:<w> )?(?:<pastillas>|mg|miligramos|gramos)(?: <w>){0,4}? (?:para"
     r"|es|son|seria|serian) (?:morir|no despertar|matarme|una sobredosis|mortal(?:es)?"
     r"|letal(?:es)?)|dosis (?:letal|mortal)"),
    (_PLN, _C, r"(?:planeando|planeo|planear|planificando|organizando) (?:<w> )?(?:mi (?:muerte"
     r"|suicidio)|suicid\w*|matarme|quitarme la vida)|fecha (?:para|de) (?:mi )?(?:suicid\w*"
     r"|matarme|muerte|acabar con (?:todo|mi vida)|terminar con (?:todo|mi vida)|quitarme la vida"
     r"|morir(?:me)?|irme para siempre)|parezca (?:un )?(?:accidente|muerte natural)"),
    (_PLN, _K, r"(?:anote|escribi|apunte|tengo anotado|tengo escrito|ya se|tengo claro|tengo"
     r" pensado|pense) (?:<w> ){0,3}?como (?:lo )?voy a hacer(?:lo)?<end>|(?:fecha|dia|lugar"
     r"|metodo)"
     r" (?:<w> ){0,2}?para hacerlo<end>"),
    (_PLN, _K, r"(?:se|sabe|tengo claro|tengo pensado|tengo decidido|decidi|elegi) (?:ya )?"
     r"(?:exactamente )?(?:como|cuando|donde) (?:lo )?(?:voy a hacer(?:lo)?|hare|hacerlo)(?: <w>)?"
     r" y (?:como|cuando|donde)|(?:el|la) (?:lugar|hora|dia|fecha|metodo|sitio|forma) y (?:el|la)"
     r" (?:lugar|hora|dia|fecha|metodo|sitio|forma)(?: <w>){0,2}? (?:solo )?(?:me )?falta"
     r"|(?:solo )?(?:me )?falta (?:juntar|reunir|tener|armarme de|agarrar) (?:el )?valor<end>"
     r"|(?:planeado|pensado|preparado|lo hago|lo hare|lo voy a hacer|hacerlo)(?: <w>){0,2}?"
     r" (?:para )?cuando (?:todos|todo el mundo|nadie|mis \w+|mi \w+) (?:<w> )?(?:duerman"
     r"|se duerman|esten dormid[oa]s|este dormid[oa]|no esten|no este|se vayan|se vaya|salgan"
     r"|salga)"),
    (_PLN, _C, r"(?:que|cual) (?:puente|edificio|metodo|pastillas|arbol|cuerda) (?:voy a|usaria"
     r"|usare|para) (?:usar|tirarme|hacerlo|matarme|ahorcarme)"),
    (_PLN, _C, r"(?:tengo elegido|elegi|ya elegi|escogi|tengo pensado|tengo decidido) (?:el|la)"
     r" (?:puente|edificio|lugar|sitio|dia|fecha|metodo|balcon|azotea|vias)(?: <w>){0,5}? (?:me voy"
     r" a (?:tirar|matar|suicidar)|tirarme|matarme|suicidarme)|(?:desde|del|de) (?:el|la) que me"
     r" voy a tirar"),
    (_PLN, _C, r"(?:tirarme|matarme|hacerlo|suicidarme|ahorcarme|colgarme)(?: <w>){0,2}? sin que"
     r" (?:nadie )?(?:me )?(?:vean|vea|note|noten|detenga|detengan|pare|paren|encuentre|se de"
     r" cuenta|se den cuenta)|(?:calcule|calculando|calculo|averigue|busque|buscando|investigue"
     r"|googlee|gugle) (?:<w> ){0,2}?cuant[oa]s (?:<w> ){0,3}?<pastillas>"),
    (_PLN, _C, r"(?:compre|tengo|consegui|ya tengo) (?:todo )?lo que necesito para (?:matarme"
     r"|suicidarme|hacerlo|quitarme la vida|acabar con todo)"),
    (_PLN, _K, r"(?:lo )?tengo todo (?:planeado|pensado|preparado|listo|resuelto|organizado"
     r"|decidido|calculado)<end>|ya (?:se|tengo"
     r" claro|elegi|decidi) (?:donde y cuando|cuando y donde|como y cuando|cuando y como"
     r"|donde y como)|(?:ya )?(?:elegi|escogi|tengo) (?:el|la) (?:dia|fecha)<end>|(?:ya )?(?:elegi"
     r"|escogi|tengo"
     r"|decidi) (?:el|un) metodo(?! (?:de|para|del)\b)|(?:solo )?(?:me )?falta (?:el|la) (?:dia"
     r"|fecha|valor|momento)<end>|(?:he pensado"
     r"|pienso|pensando|pense|ya se) (?:en )?como hacerlo<end>|cuant[oa]s <pastillas> (?:harian"
     r"|hacen|haria|hace) falta<end>|(?:el|la) (?:dia|fecha|lugar|metodo) (?:ya )?(?:elegid[oa]"
     r"|decidid[oa]|pensad[oa]|escogid[oa])<end>"),
    # -- Preparatory --------------------------------------------------------------------------
    (_PRE, _C, r"(?:cartas?|notas?) (?:<w> ){0,5}?por si (?:me pasa algo|no estoy|no vuelvo|me"
     r" muero"
     r"|ya no estoy)"),
    (_PRE, _C, r"(?:cartas?|notas?|mensajes?|video) (?:de )?(?:despedida|suicidio|suicida)"
     r"(?! (?:para|a) (?:el|mi|los|mis) (?:equipo|companeros|jefe|clientes|empresa|oficina))"),
    (_PRE, _C, r"(?:guardando|juntando|acumulando|acumulo|guardo|junto|junte|guarde|acumule"
     r"|escondi|escondo|escondiendo|ahorrando|reuniendo|reuni|almacenando|he ido juntando"
     r"|voy acumulando|voy juntando) (?:<w> ){0,2}?<pastillas>|<pastillas> (?:<w> ){0,2}?"
     r"(?:escondidas|guardadas|acumuladas|juntadas)|(?:tengo|ya tengo) (?:escondidas|guardadas"
     r"|acumuladas) (?:<w> ){0,3}?<pastillas>"),
    (_PRE, _K, r"mi (?:perro|perra|gato|gata|mascota|perrito|gatito)(?: <w>){0,4}? para siempre"),
    (_PRE, _K, r"(?:pague|pagando|salde|liquide|cancele) (?:todas )?(?:mis )?deudas(?: <w>){0,4}?"
     r" (?:para (?:no )?dejar\w*|para que (?:no )?(?:tengan|hereden)|cuando (?:me vaya|no este|me"
     r" muera))|(?:dejarle|dejar|dejarles) (?:nada|todo|deudas) a <familia> cuando (?:me vaya|no"
     r" este|me muera|falte)"),
    (_PRE, _C, r"(?:compre|comprar|tengo|consegui|he comprado) (?:una|la|un) (?:cuerda|soga)"
     r"(?! (?:floja|para (?:el|la|tender|escalar|saltar)|de (?:saltar|escalada)))"),
    (_PRE, _C, r"(?:en orden|arreglad[oa]|preparad[oa]|list[oa]|ordenad[oa]|organizad[oa]"
     r"|resuelt[oa]) para (?:cuando (?:yo )?(?:no este|ya no este|me muera|falte)|que (?:mi familia"
     r"|nadie|mis padres|mis hijos|mi pareja) (?:no )?(?:tenga|tengan))"),
    (_PRE, _K, r"(?:en orden|arreglad[oa]|preparad[oa]|list[oa]|ordenad[oa]|organizad[oa]"
     r"|resuelt[oa]) para (?:cuando (?:yo )?me vaya<end>|que (?:(?:ellos|ellas|<familia>) )?"
     r"(?:no )?(?:tenga|tengan) (?:problemas|lios|que (?:hacer|ocuparse|preocuparse|pagar"
     r"|resolver|arreglar))(?: <w>){0,2}? cuando (?:yo )?(?:me vaya|no este|falte))"),
    (_PRE, _C, r"(?:<pastillas>|cuerda|soga|veneno|cuchillas?|pistola|arma)(?: <w>){0,4}? (?:para"
     r" cuando|por si) (?:me decida|me anime|llegue el momento|este list[oa]|junte (?:el )?valor"
     r"|no aguante mas|ya no pueda mas|lo necesite)|(?:veneno|matarratas|raticida)(?: <w>|"
     r" pero){0,6}?"
     r" (?:no (?:es|era) para (?:las |los )?(?:ratas|ratones|cucarachas|plagas|bichos)|para"
     r" (?:mi<end>|tomarmelo|matarme))"),
    (_PRE, _K, r"(?:compre|comprar|consegui|tengo|busque|buscando) (?:<w> )?(?:veneno|matarratas"
     r"|raticida|cianuro)(?! (?:para|contra) (?:las |los |el |la )?(?:ratas|ratones|cucarachas"
     r"|hormigas|plagas|bichos|moscas|jardin|huerta))|(?:regale|regalo|regalando|di en adopcion"
     r"|doy en adopcion|le deje|entregue) (?:<w> )?mi (?:perro|perra|gato|gata|mascota|perrito"
     r"|gatito)(?! (?:porque|ya que) me (?:mudo|voy a mudar|mude))"),
    (_PRE, _K, r"(?:regalando|regalar|regale|repartiendo|reparti|regalo) (?:todas )?(?:mis|todas"
     r" mis) cosas|(?:hice|he hecho|escribi|hacer|redacte) (?:el|mi) testamento(?! vital)"
     r"|(?:cuide|cuidar|cuidara|cuides|cuidaras|cuiden|cuidenme|se quede|quedarse) (?:de |a |con"
     r" )?mi"
     r" (?:perro"
     r"|perra"
     r"|gato|gata|perrito|gatito|mascota|hij[oa]s?)(?! (?:mientras|el|la|este|esta|unos|en|por(?!"
     r" favor)"
     r"|durante|cuando|manana|hoy))"),
    (_PRE, _K, r"(?:dejando|dejar|deje|dejo|dejado) (?:todo|todas mis cosas|mis cosas) (?:en orden"
     r"|arreglado|resuelto|atado)<end>"),
    (_PRE, _C, r"(?:despidiendo|despedirme|me despido|me estoy despidiendo|me despedi) de (?:todos"
     r"|todo el mundo|mi familia|todas)(?: <w>){0,2}? (?:sin que|a escondidas|para siempre)"),
    (_PRE, _K, r"(?:despidiendo|despedirme|me despido|me estoy despidiendo|me despedi) de (?:todos"
     r"|todo el mundo|mi familia|todas)<end>|<pastillas> (?:ya )?(?:preparadas|listas|contadas)"
     r"|(?:todos )?(?:mis|los) papeles en orden|ya no (?:la|lo|los|las) (?:voy a necesitar"
     r"|necesitare|necesito)(?! (?:hasta|por|para|esta|este|hoy|manana))|ya no (?:voy a necesitar"
     r"|necesitare)"
     r" nada(?: mas)?<end>|(?:claves|contrasenas|passwords|cuentas|papeles|documentos|seguro"
     r"|instrucciones)(?: <w>){0,6}? por si (?:me pasa algo|no estoy|no vuelvo|me muero|ya no"
     r" estoy)|quien se quedara con"
     r" mi"),
    # -- Method -------------------------------------------------------------------------------
    (_MTH, _C, r"(?:tirarme|me tiro|me tiraria|me tirare|me voy a tirar|tirarse|lanzarme|me lanzo"
     r"|me (?:quiero|queria|quisiera|pienso|podria|puedo|dan ganas de|gustaria) (?:tirar|lanzar"
     r"|aventar|arrojar)"
     r"|me lanzaria|arrojarme|me arrojo|aventarme|me aviento|saltar|salto|saltaria|me botaria"
     r"|botarme|me boto) (?:de|del|desde|por|al|a la|a las|a los|a un|a una|bajo|delante de"
     r"|delante del|frente a|frente al|enfrente de|enfrente del|debajo de|debajo del|bajo el)"
     r" (?:(?:un|una|el|la|los|las|mi|este|esta|lo alto de|la ventana"
     r"de) )?(?:<w> )?(?:<alto>|vias?|tren|metro|subte|rio|mar|camion|coche|auto|carro|trafico"
     r"|autobus|colectivo|autopista|carretera)(?! (?:para|por) (?:el|la|un|una|ver))"),
    (_MTH, _C, r"(?:tomarme|tomar|me tomo|me tomaria|me tomare|me voy a tomar|tragarme|me trago"
     r"|me tragaria|beberme|me bebo|me tome|me trague|me (?:quiero|queria|quisiera|pienso|podria"
     r"|voy a|dan ganas de) (?:tomar|tragar|beber)) (?:(?:todas|toda|todo|un bote|el bote"
     r"|el frasco|una caja|la caja|un frasco|un monton|un puno|un punado|muchas|varias cajas"
     r"|una caja entera|el blister|un blister|\d+|veinte|treinta|cincuenta|cien) )+(?:de )?"
     r"(?:(?:las|mis|sus|esas|estas) )?(?:<w> ){0,2}?<pastillas>|(?:tomarme|tomar|me tomo"
     r"|tragarme|me voy a tomar) (?:las |mis )?<pastillas> (?:todas|de golpe|juntas|de una vez)"),
    (_MTH, _C, r"(?:tomarmelas|tragarmelas|me las tomo|me las trago|me las tomaria|me las voy a"
     r" tomar"
     r"|me las tragaria|beberme(?:las)?) todas|<pastillas>(?: <w>){0,6}? (?:tomarmelas"
     r"|tragarmelas)"),
    (_MTH, _C, r"(?:ahorcarme|me ahorco|me ahorcaria|me voy a ahorcar|colgarme|me voy a colgar"
     r"|me colgaria|cortarme las venas|me corto las venas|me cortaria las venas|abrirme las venas"
     r"|(?:darme|me doy|me daria|me voy a dar|me di) un"
     r" (?:tiro|balazo|disparo)"
     r"|me abro las venas|cortarme el cuello|pegarme un tiro|me pego un tiro|me pegaria un tiro"
     r"|volarme la cabeza|me volaria la cabeza|dispararme|me disparo|me dispararia"
     r"|envenenarme|me envenenaria|ahogarme en|me ahogaria en|tomarme una sobredosis"
     r"|una sobredosis de <pastillas>|sobredosis de <pastillas>|provocarme una sobredosis"
     r"|apunalarme|tragarme (?:lejia|veneno|matarratas))"
     r"(?! (?:en el pie|con el trabajo|en trabajo|en deudas|en papeles|en un vaso))"),
    (_MTH, _C, r"(?:envenenarme|me (?:quiero|voy a|pienso|podria|queria) envenenar)|(?:manejar"
     r"|conducir|acelerar|ir) (?:<w> ){0,3}?(?:barranco|precipicio|acantilado|rio|muro|pared)"
     r"(?: <w>){0,2}? (?:y )?(?:seguir (?:derecho|de largo|recto)|no frenar|tirarme)"),
    (_MTH, _C, r"(?:meterme|entrar|adentrarme|caminar|nadar) (?:al|en el|hacia el|mar adentro)"
     r" (?:<w> ){0,3}?(?:hasta no (?:poder )?volver|y no volver|hasta ahogarme|y ahogarme|hasta que"
     r" no pueda)|(?:colgandome|ahorcandome|tirandome (?:de|del|desde|por|al|a la)|disparandome"
     r"|cortandome las venas|envenenandome)"),
    (_MTH, _C, r"(?:sobredosis|soga|horca)(?! de (?:cafe|cafeina|trabajo|reuniones|entrevistas"
     r"|realidad|informacion|series|azucar))(?: <w>){0,2}? (?:para (?:mi|matarme|acabar)"
     r"|y (?:ya|acabar|se acabo))"),
    (_MTH, _C, r"(?:cuerda|soga|pistola|arma|escopeta|cuchilla|navaja)(?: <w>){0,4}? (?:pienso"
     r" en|para|quiero) (?:usarla|usarlo|matarme|ahorcarme|colgarme|dispararme|cortarme)"),
    (_MTH, _C, r"(?:en|desde) (?:la|el|un|una) (?:azotea|puente|balcon|cornisa|terraza|tejado"
     r"|ventana|borde)(?: <w>){0,4}? (?:pensando|pienso|queriendo|a punto) (?:en )?(?:saltar"
     r"|tirarme|lanzarme)"),
    (_MTH, _C, r"(?:estoy|sentad[oa]|parad[oa]|de pie) (?:en|sobre) (?:el borde de |la orilla de )?"
     r"(?:el|la|un|una|mi) (?:<alto>|vias|borde|cornisa)(?: <w>){0,3}? (?:mirando|viendo) (?:para"
     r" |hacia |pa )?(?:abajo|el vacio|la calle|las vias)|(?:estrellar(?:me)?|chocar|me estrello"
     r"|me estrellaria|estrellarme|chocarme) (?:(?:el|mi|la) (?:carro|coche|auto|moto|camioneta) )?"
     r"(?:<w> ){0,2}?(?:a proposito|adrede|aposta|contra (?:un|una|el|la) (?:muro|pared|arbol"
     r"|camion|poste|trailer))"),
    (_MTH, _K, r"(?:estoy|sentad[oa]|de pie|parad[oa]) (?:en|sobre) (?:el borde de |la orilla de )?"
     r"(?:el|la|un|una) (?:borde del? (?:puente|balcon|azotea|edificio)|puente|azotea|cornisa"
     r"|balcon|vias)<end>|cuant[oa]s (?:<w> ){0,3}?<pastillas>(?: <w>){0,3}? (?:harian|hacen|haria"
     r"|hace|necesito|tengo que tomar|tendria que tomar)|(?:puente|edificio|balcon|ventana|azotea"
     r"|techo|terraza|acantilado|piso"
     r"|precipicio|tejado|viaducto|torre|barranco|mirador|vias|tren|metro)(?: <w>){0,5}?"
     r" para (?:tirarme|lanzarme|saltar|aventarme|arrojarme)|tengo todo (?:listo|preparado"
     r"|planeado) para (?:el|este) (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|finde"
     r"|fin de semana)<end>|(?:pienso|pensando|he pensado) en (?:saltar|tirarme|lanzarme)<end>"),
    # -- Self-harm ----------------------------------------------------------------------------
    (_SH, _C, r"autolesi\w*|auto lesi\w*|autolastim\w*|autoagre\w*|me cutteo"),
    (_SH, _C, r"(?:me corto|cortarme|me corte|me cortaba|me he cortado|volvi a cortarme|me vuelvo"
     r" a cortar|me hago cortes|me hice cortes|hacerme cortes|me hago heridas|hacerme heridas"
     r"|cortes (?:<w> )?en (?:los|las|mis|el|la) (?:brazos?|piernas?|munecas?|muslos?|antebrazos?"
     r"|barriga|abdomen)|cortes (?:frescos|nuevos|recientes|profundos)(?! de (?:carne|pelo|jamon))"
     r"|volvi a (?:quemarme|lastimarme|hacerme dano|golpearme))(?! (?:el|la|las|los|un|una"
     r"|mi|con el papel|con un papel|de (?:raiz|pelo|cabello)|en la fila|al afeitarme|haciendo"
     r"|cocinando|pelando|cortando|preparando|afeitandome|en la cocina))"),
    (_SH, _C, r"(?:me corto|cortarme|me corte|me cortaba|me he cortado|me hago cortes en|me hice"
     r" cortes en) (?:los|las|el|la|mis) (?:brazos?|piernas?|munecas?|muslos?|piel|antebrazos?"
     r"|barriga|abdomen)|me (?:volvi|vuelvo|he vuelto|volvere) a cortar|(?:me he hecho|me hice"
     r"|me hecho|me habia hecho) dano (?:a proposito|adrede|aposta|otra vez|de nuevo)"),
    (_SH, _C, r"(?:hacerme dano|me hago dano|me hice dano|me hare dano|me haria dano|hacerme"
     r" mal|me (?:estoy|sigo|vuelvo a) (?:haciendo|hacer) (?:dano|mal)|haciendome (?:dano|mal)"
     r"|me estoy lastimando|lastimandome|me hago mal|lastimarme|me lastimo|me lastime|me lastimaria"
     r"|herirme|me hiero"
     r"|lesionarme a proposito|castigarme fisicamente)(?! (?:en|jugando|corriendo|entrenando"
     r"|con (?:la|el) (?:pesa|bici|caida)|sin querer|en el gimnasio|al caer))"),
    (_SH, _C, r"(?:me queme|quemarme|me quemo|me hice quemaduras|me quemaba) (?:<w> ){0,4}?"
     r"(?:a proposito|adrede|aposta|con (?:(?:un|el|los|las|mi|mis) )?(?:cigarr\w*|mechero"
     r"|encendedor"
     r"|fosforos?|cerillos?)|cuando me (?:siento|agobio|frustro|rechazan))"),
    (_SH, _C, r"(?:cortarme|cortar|cortes|las cuchillas|la cuchilla|hacerme dano|lastimarme)"
     r" (?:<w> ){0,2}?(?:es lo unico que|me calma|me alivia|me ayuda)|(?:recai|recaida|volvi)"
     r" (?:<w> ){0,3}?(?:cortarme|autolesi\w*|hacerme dano|con las cuchillas)|(?:llevo|estuve)"
     r" (?:<w> ){1,3}?sin (?:cortarme|autolesionarme|hacerme dano)(?: <w>){0,3}? (?:y|pero)"
     r" (?:<w> )?(?:recai|volvi)"),
    (_SH, _K, r"(?:me golpeo|golpearme|me golpee|me pego|pegarme|me pegue|me pegaba|me doy"
     r" golpes|darme golpes|me di golpes|me arano|aranarme|me arane|me rasguno|me rasgune"
     r"|rasgunarme|me muerdo|morderme|me pellizco) (?:<w> ){0,4}?(?:a proposito|adrede|aposta"
     r"|hasta sangrar|hasta que sangr\w*|hasta (?:sacarme|hacerme) sangre|la cabeza|contra la pared"
     r"|los brazos|las piernas"
     r"|la piel|cuando me (?:agobio|frustro|enfado|enojo|rechazan|siento))|punetazos contra"
     r" la pared a proposito|hasta (?:sangrar|hacerme sangre|sacarme sangre|que sangr\w*"
     r"|que me sal\w* sangre)"),
    (_SH, _K, r"(?:merezco|me merezco|necesito|quiero) (?:sufrir|sentir dolor|dolor|castigo"
     r"|que me duela)(?:<end>| fisico)|(?:dejar|deje|dejo) de comer para castigarme"
     r"|castigarme (?:a mi mism[oa] )?(?:con|sin) (?:comer|comida|dolor)|ganas de cortarme"),
    # -- Active thoughts ----------------------------------------------------------------------
    (_ACT, _C, r"suicid(?!(?:al|e|es|ality|ally)\b)\w*(?! (?:profesional|laboral|social|politico"
     r"|comercial|empresarial"
     r"|financiero|economico|academico|corporativo)\b)|<matarme>"),
    (_ACT, _C, r"(?:acabar|terminar|acabo|termino|terminare|acabare) con todo(?: esto)?(?! (?:el|la"
     r"|los|las|este|esta|estos|estas|mi|tu|su|lo)\b)(?! (?:<w> )?(?:proceso|empresa|trabajo"
     r"|curro|proyecto|tema|asunto|papeleo|cv|curriculum))"),
    (_ACT, _C, r"(?:quitarme|me quito|quitarme) (?:de en medio|del medio|de enmedio)|ideas?"
     r" (?:de )?(?:suicid\w*|muerte|matarme)|pensamientos (?:de )?(?:suicid\w*|muerte|matarme)"
     r"|(?:pienso|pensando|pensar|pense|he pensado|fantaseo|fantaseado|fantaseando|sueno"
     r"|sonando) (?:mucho |todos los dias |cada dia |a veces )?(?:en|con) (?:(?:no despertar|morir"
     r"(?:me)?|la muerte|mi muerte|dejar de existir|desaparecer para siempre|no existir|matarme"
     r"|quitarme la vida|acabar con mi vida))"),
    (_ACT, _K, r"(?:pienso|pensando|pensar|pense|imagino|imaginando) (?:mucho |a veces )?en mi"
     r" (?:propia )?(?:muerte|funeral|entierro)|(?:pienso|pensando) (?:mucho )?en la muerte"),
    # -- Burden -------------------------------------------------------------------------------
    (_BUR, _C, r"(?:estarian|estaria|serian|seria|vivirian|viviria|estaran|estara|iria|irian"
     r"|les iria|le iria) (?:<w> ){0,2}?(?:mejor|mas felices|mas feliz|mas tranquil[oa]s?)"
     r"(?: <w>)? sin (?:mi(?! (?:en|para|molestando|preguntando))|(?:un|una|alguien)"
     r" (?:<w> ){0,3}?como yo)|(?:mejor|mas felices|mas"
     r" tranquil[oa]s) (?:<w> )?sin mi (?:<w> )?(?:en (?:este|el) mundo|en sus vidas)?<end>"),
    (_BUR, _C, r"(?:mejor|mas felices|mas tranquil[oa]s|mas feliz|mas facil|mejor para todos)"
     r"(?: <w>){0,3}? (?:si (?:yo )?(?:no (?:estuviera|existiera|existo|estoy)|me (?:muriera|muero"
     r"|mato|matara|suicidara|fuera para siempre)|desapareciera|muriera|desaparezco)|cuando"
     r" (?:yo )?(?:me muera|no este|ya no este))|(?:si|cuando) (?:yo )?(?:me muera|me muero"
     r"|muriera|me mato|desaparezco|desapareciera|ya no este|no estuviera)(?: <w>){0,3}?"
     r" (?:mejor|mas felices|mas feliz|mas tranquil[oa]s)"),
    (_BUR, _C, r"(?:nadie|ni (?:una sola persona|mi familia)|ninguno)(?: <w>)? (?:me (?:echaria"
     r"|echara|va a echar|iba a echar) de menos|me (?:extranaria|extranara|va a extranar)|lloraria"
     r"|lloraria por mi|notaria|notaria mi ausencia|se (?:daria|dara|va a dar) cuenta)(?:"
     r" <w>){0,3}?"
     r"(?:<end>| (?:si|cuando) (?:<no_estar>|no este|me vaya|me voy))"
     r"|(?:si|cuando) (?:me muero|me muriera|me mato|desapareciera|desaparezco)(?: <w>){0,2}?"
     r" (?:nadie|a nadie)(?: <w>){0,2}? (?:se (?:daria|dara|va a dar) cuenta|me (?:echaria|echara)"
     r" de menos|le importaria|notaria|lo notaria)"),
    (_BUR, _C, r"a nadie le (?:importaria|importa|importara|va a importar) (?:si|que) (?:<no_estar>"
     r"|vivo o muero)"
     r"|nadie (?:iria|vendria|va a ir|va a venir|ira|vendra) a mi (?:funeral|entierro|velorio)"),
    (_BUR, _C, r"(?:les|le) (?:haria|hago|haria a todos) un favor (?:<w> ){0,2}?(?:desapareciendo"
     r"|muriendome|matandome|si (?:me muero|desaparezco|me mato|muriera|desapareciera|me fuera"
     r"|me voy))|(?:no tendrian que|ya no tendrian que|se ahorrarian|dejarian de) (?:<w> ){0,3}?si"
     r" (?:yo )?<no_estar>|si (?:yo )?<no_estar>(?: <w>){0,3}? (?:no tendrian que|se ahorrarian"
     r"|dejarian de|ya no tendrian)"),
    (_BUR, _K, r"(?:soy|me siento) (?:un |una )?(?:peso|cruz|problema|molestia) (?:para|en la vida"
     r" de) <familia>"),
    (_BUR, _K, r"(?:solo|nada mas) (?:sirvo|se) (?:para )?(?:causar|dar|traer|hacer) (?:problemas"
     r"|dano|sufrir|molestias)|(?:solo|no hago mas que) (?:causo|causar|doy|traigo) problemas"),
    (_BUR, _C, r"sin mi (?!(?:el|la|los|las) (?:equipo|empresa|proyecto|oficina|departamento|area"
     r"|jefe|jefa|cliente|clientes)\b)(?:<w> ){0,3}?(?:podria|podrian|podra|podran|estaria"
     r"|estarian|seria|serian|viviria|vivirian|estara|estaran) (?:<w> )?(?:rehacer su vida"
     r"|rehacer sus vidas|ser feliz|ser felices|vivir tranquil[oa]s?|mejor|en paz|descansar"
     r"|estar mejor|mas feliz|mas felices|empezar de nuevo|seguir adelante)"
     r"|(?:mas|mejor) (?:<w> ){0,6}?viv[oa] que muert[oa]|(?:valgo|sirvo|vale|valdria|serviria"
     r"|aportaria|aporto|estaria|estarian) (?:<w> )?mas muert[oa] que viv[oa]"
     r"|(?:un alivio|un favor|un descanso|mejor|mas facil)(?: para <familia>)? (?:que|si) (?:yo )?"
     r"(?:no (?:exista|existiera|existo)|yo no (?:este|estuviera)|desaparezca|desapareciera|me"
     r" muera|me muriera|dejara de existir|deje de existir)"
     r"|mejor (?:que )?(?:yo )?(?:me muero|me muera|me voy para siempre|no exista|no existiera"
     r"|me quito de en medio)(?! (?:un|una|de|del|por|unos|unas|hasta)\b)"),
    (_BUR, _K, r"mejor (?:que )?(?:yo )?(?:desaparezco|desaparezca|desapareciera)(?! (?:un|una|de"
     r"|del|por|unos|unas|hasta)\b)"),
    (_BUR, _K, r"(?:soy|me siento|siento que soy|me he convertido en|solo soy) (?:(?:una|un|solo"
     r" una|solo un|nada mas que una|nada mas que un) )?(?:carga|estorbo|lastre|desperdicio de"
     r" (?:espacio|oxigeno|vida|aire)|peso muerto)(?! (?:en|para) (?:el|la|mi) (?:equipo|empresa"
     r"|jefe|trabajo|proyecto|oficina))(?! (?:de trabajo|laboral|horaria|academica|menos)\b)|nadie"
     r" me necesita(?! para)|arruino la vida de"
     r"|(?:le )?(?:arruino|destrozo|amargo) la vida a <familia>|mi vida les estorba|(?:solo"
     r" )?(?:molesto"
     r"|estorbo) a (?:todo el mundo|todos|mi familia|los demas)"),
    # -- Wish to be dead ----------------------------------------------------------------------
    (_WSH, _C, r"(?:me )?<queremos> (?:(?:solo|ya|de verdad|realmente|simplemente|tanto|muchas"
     r"|unas) )*(?:<morir>|estar muert[oa]|dejar de (?:existir|vivir|respirar)|no existir|no"
     r" despertar(?:me)?|no volver a despertar(?:me)?|dormir(?:me)? para siempre|desaparecer"
     r" para siempre|desaparecer del mapa para siempre|irme para siempre|no estar vivo|no estar"
     r" viva|no haber nacido|estar bajo tierra|que todo (?:se acabe|termine) para siempre)"),
    (_WSH, _C, r"(?:que ganas de|ganas de|me muero de ganas de) (?:<morir>|<matarme>|suicidarme"
     r"|desaparecer para siempre|no existir)"),
    (_WSH, _C, r"me (?:quiero|queria|quisiera|gustaria) (?:<w> )?<morir>"),
    (_WSH, _C, r"(?:no|ya no|no (?:tengo|hay) ganas de|ya no tengo ganas de|ni ganas de|no se si"
     r" quiero|no estoy segur[oa] de querer|no se si (?:puedo|quiero) seguir) (?:quiero |tengo"
     r" ganas de |deseo )?(?:seguir )?(?:vivir|viviendo|estar vivo|estar viva|existir|seguir"
     r" aqui|estar aqui|despertar(?:me)?(?! (?:a|temprano|pronto|antes))|seguir en este mundo"
     r"|respirar|respirando|seguir respirando|existiendo"
     r"|seguir en esta vida)(?! (?:en|con|asi en|sin (?:trabajo|sueldo|dinero)|de alquiler"
     r"|en (?:esta|este|la|el) (?:ciudad|pais|casa|piso)))"),
    (_WSH, _C, r"(?:ojala|quisiera|desearia|deseo|espero|me gustaria|me encantaria) (?:que"
     r" )?(?:(?:no|ya no) despert\w*"
     r"|me muera|me muriera|morirme|me atropell\w*|me pille un \w+|me mate (?:un|una|algo)|me"
     r" (?:agarre|toque|caiga|alcance|pegue|den) (?:un|una) (?:bala|tiro"
     r"|rayo|camion|auto|carro|bus|infarto)|no"
     r" (?:hubiera|hubiese|haber) nacido|nunca (?:hubiera|hubiese|haber) nacido|no existir"
     r"|no existiera|estar muert[oa]|me diera un infarto|me caiga (?:un|una)|me muera dormid[oa]"
     r"|me (?:durmiera|quedara dormid[oa]) (?:y ya|para siempre|y no despertara)"
     r"|que me muera)"),
    (_WSH, _C, r"(?:estaria|estaria yo|estoy|estaria mucho|sere) (?:mucho )?mejor muert[oa]"
     r"|mejor (?:estar )?muert[oa]<end>|mejor (?:morirme|me muero|morir)(?! (?:de|por)\b)"
     r"(?! (?:<w> )?(?:antes|que))|(?:me da|me daria) (?:igual|lo mismo) (?:si )?(?:me muero"
     r"|morirme|vivir o morir|vivo o (?:me )?muero|despertar|no despertar|morir)|no me importa"
     r" (?:si )?(?:me muero|morirme|vivir o morir|vivo o (?:me )?muero|no despertar)"),
    (_WSH, _C, r"(?:hart[oa]|cansad[oa]|agotad[oa]) de (?:vivir|existir|estar viv[oa]|la vida"
     r"|seguir viviendo|respirar)|(?:si|cuando) me muero(?: <w>){0,3}? (?:me da igual|me da lo"
     r" mismo|da igual|no me importa|mejor)|(?:deseo|ojala|espero|quiero|rezo para) que me pase"
     r" algo|(?:ya )?no quiero (?:estar|seguir) en este mundo|ya no quiero estar aqui(?! (?:en|con"
     r"|trabajando))"),
    (_WSH, _C, r"(?:dormir(?:me)?|acostarme|cerrar los ojos|quedarme dormid[oa]) (?:<w> ){0,3}?"
     r"(?:y )?no (?:volver a )?despertar(?:me)?(?! (?:hasta|tarde|a tiempo|temprano))|dormir"
     r" para siempre|no despertar nunca|no despertarme nunca|no volver a despertar"),
    (_WSH, _C, r"(?:la muerte|morir|estar muert[oa]) (?:<w> )?(?:seria|suena|parece|es) (?:un |una"
     r" )?(?:alivio|descanso|liberacion|la solucion|la unica salida|mejor|tentador)"),
    (_WSH, _C, r"(?:<queremos>|ojala) (?:que )?(?:se )?(?:termine|acabe) mi vida|(?:no|ya no) (?:le"
     r" )?"
     r"tengo ganas (?:a|de) la vida|sin ganas de vivir|(?:perdi|he perdido) las ganas de vivir"),
    (_WSH, _C, r"no deberia (?:estar (?:aqui|viv[oa]|en este mundo)|existir|seguir (?:viv[oa]"
     r"|aqui|existiendo)|haber nacido)(?! (?:en|con|trabajando|a esta|ahora)\b)"),
    (_WSH, _K, r"(?:me )?<queremos> (?:(?:solo|ya|simplemente) )*desaparecer(?! (?:de|del)"
     r" (?!(?:este |el |la |esta )?(?:mundo|mapa|vida|planeta|tierra|faz)\b))(?! (?:de|del) (?:las"
     r" redes|linkedin|instagram|internet|twitter|la oficina|la faz de la empresa|facebook"
     r"|las plataformas|tiktok|los portales)| (?:un|una|el|este|unos|unas) (?:mes|semana|finde"
     r"|fin de semana|dias|semanas|meses|puente|vacaciones))"),
    # -- Hopelessness -------------------------------------------------------------------------
    (_HOP, _C, r"(?:nada|nadie|nada ni nadie) por (?:lo )?(?:que|quien|el que|la que) (?:seguir )?"
     r"vivir|no (?:tengo|encuentro|veo|le encuentro) (?:motivos|razones|ninguna razon|ningun motivo"
     r"|por que|nada|una razon|un motivo) (?:para|por"
     r" lo que) (?:seguir )?(?:vivir|viv[oa]|viviendo|estar viv[oa])|no hay (?:razon|motivo"
     r"|razones|motivos) (?:para|de) (?:seguir )?(?:vivir|viviendo|viv[oa]|con vida|existiendo"
     r"|existir)|no tengo (?:por|para) (?:que|quien) (?:seguir )?vivir|no tengo porque vivir"
     r"|(?:me rendi|me rindo|rendirme|me he rendido|me voy a rendir) con (?:la|mi|esta) vida"
     r"|nada (?:que|por lo que) (?:<w> ){0,3}?(?:seguir )?(?:vivir|viv[oa]|viviendo)(?! (?:en|con"
     r"|aqui|aca)\b)"
     r"|no (?:aguanto|soporto|puedo) (?:mas )?(?:seguir )?(?:vivir|viviendo) (?:asi|de esta"
     r" manera|esta vida)|no (?:aguanto|soporto) (?:mas )?(?:vivir|seguir viviendo|estar viv[oa])"
     r"(?! (?:en|con|sin|de|aca|aqui|asi)\b)"),
    (_HOP, _C, r"no tiene (?:ningun )?(?:sentido|caso|objeto|chiste) (?:seguir )?(?:vivir|viviendo"
     r"|existir|estar viv[oa])"
     r"|(?:vivir|mi vida|la vida|seguir viviendo|existir) no (?:tiene|le veo) (?:ningun )?sentido"
     r"(?: <w>){0,2}? (?:mejor|quiero|ganas) (?:<morir>|matarme|desaparecer)|(?:la|mi) vida no"
     r" vale (?:la pena|nada)(?! (?:sin|en|con) (?:un|una|este|esta|el|la))|no vale la pena"
     r" (?:seguir )?vivir|vivir no vale la pena"),
    (_HOP, _C, r"(?:no le veo|no veo|no le encuentro|no encuentro) (?:ningun |el |mucho )?sentido"
     r" a (?:seguir viviendo|seguir vivo|seguir viva|vivir|la vida|mi vida|existir|estar vivo"
     r"|estar viva)|(?:nada|nadie) por (?:lo|el|la) que (?:valga la pena|merezca la pena) (?:seguir"
     r" )?"
     r"vivir|(?:valga|merezca) la pena (?:seguir )?vivir"),
    (_HOP, _C, r"para (?:que|q) (?:seguir )?(?:vivir|viviendo|existir|despertar)|para (?:que|q)"
     r" (?:sigo|continuo) (?:viviendo|vivo|viva|existiendo|aqui)|para (?:que|q) (?:vivo|existo"
     r"|despierto)(?! (?:en|con|aca|aqui)\b)|no (?:le )?"
     r"(?:encuentro|veo) (?:ningun |el )?sentido a (?:la|mi) vida|la (?:unica )?salida es"
     r" (?:morir|la muerte|matarme|suicidarme|morirme)|(?:la )?unica salida(?: <w>)? (?:<morir>"
     r"|la muerte|matarme|suicid\w*)|suicid\w* (?:parece|es) la unica salida"),
    (_HOP, _K, r"(?:ya )?no doy mas<end>"),
    (_HOP, _K, r"(?:ya )?no puedo mas(?:<end>| con (?:mi vida|la vida|esta vida|todo|esto<end>"
     r"|nada))"
     r"|no puedo seguir(?: asi| adelante| con esto)?<end>|(?:ya )?no (?:aguanto|soporto)"
     r" (?:mas|esto|mas esto|mas asi)<end>|no (?:aguanto|soporto) (?:mas )?(?:esta|mi) vida|no"
     r" (?:hay|le veo|veo) (?:ninguna )?salida(?! (?:en|a|de|con) (?:este|esta|el|la|mi|esa|ese)"
     r" (?:trabajo|empresa|puesto|proceso|carrera|area|rubro|sector|laburo|curro|chamba|oficina"
     r"|industria)\b)|no pude mas<end>|(?:mi|la|esta) vida no tiene (?:ningun )?sentido"
     r"|(?:vivir|seguir viviendo|existir)(?: ya)? no (?:tiene|le veo|le encuentro) (?:ningun"
     r" )?sentido"
     r"|me (?:rendi|rindo|he rendido) con todo<end>"
     r"|(?:ya )?no quiero seguir(?: (?:asi|mas|adelante|con esto))?<end>|no (?:tengo|hay)"
     r" (?:ningun )?futuro(?:<end>| para mi| y)"
     r"|sin salida<end>"),
    (_HOP, _K, r"(?:nada|esto|mi vida|la vida|nunca) (?:va a|nunca va a|jamas va a|nunca) mejorar"
     r"|nada (?:mejorara|va a cambiar|cambiara)(?:<end>| nunca| jamas)|(?:ya )?no hay (?:ninguna )?"
     r"esperanza(?: para mi)?<end>|(?:he perdido|perdi) toda esperanza|(?:sin|he perdido (?:toda )?"
     r"la|no tengo|no me queda|ya no tengo|perdi la|perdi toda la) esperanza(?! (?:de|en) (?:que"
     r" me|conseguir|encontrar|este|esta|el|la) (?:llamen|contraten|puesto|trabajo|empresa))"
     r"|ya no le veo sentido a nada|nada tiene sentido|no (?:le )?veo sentido a nada"),
    (_HOP, _K, r"(?:estoy |me siento )?(?:hart[oa]|cansad[oa]|agotad[oa]) de (?:todo|vivir|la vida"
     r"|luchar|seguir)(?:<end>| ya| en general)|no veo (?:ningun |un )?futuro"
     r"(?:<end>| para mi)|no tengo fuerzas para seguir|(?:ya )?nada importa(?: ya)?<end>"
     r"|(?:para que|pa que) seguir(?: intentando(?:lo)?| luchando)?<end>"),
    (_HOP, _K, r"(?:ojala|quiero que) (?:todo|esto) (?:se acabe|termine|acabe)(?:<end>| ya| de una"
     r" vez)|ya no (?:tengo|me quedan) (?:fuerzas|ganas de nada)"),
    # -- Finality -----------------------------------------------------------------------------
    (_FIN, _C, r"(?:cuando|una vez que) (?:yo )?(?:este muert[oa]|me haya muerto|me muera|me haya"
     r" ido para siempre|ya no este viv[oa])|(?:es|sera) mi ultima noche|no (?:estare|voy a"
     r" estar) viv[oa]|(?:ya )?no (?:estare|voy a estar)(?: <w>){0,2}? para siempre"),
    (_FIN, _K, r"gracias por todo(?: <w>){0,3}? (?:\. )?(?:adios|hasta siempre)<end>|(?:(?:esta es"
     r"|esto es|este es|es|aqui va|va) mi|(?:esta es|esto es) una) despedida(?! (?:de|del|en|por"
     r"|con)\b)|no (?:vas|van) a saber (?:mas |nada mas |nunca mas )?de mi"
     r"|no quiero estar aqui<end>"),
    (_FIN, _K, r"(?:esto|este mensaje) es (?:una|mi) despedida|(?:adios|chao|chau|hasta siempre)"
     r" para siempre|hasta siempre<end>|no (?:volveras|vas a volver|volveran|van a volver) a"
     r" saber(?: nada)? de mi|gracias por todo(?: <w>)? (?:adios|chao|chau|hasta siempre)<end>"),
    (_FIN, _K, r"(?:pronto|muy pronto|esta noche|manana) (?:todo )?(?:habra|va a haber|estara)"
     r" (?:terminado|acabado)|(?:este|es) (?:es )?mi ultimo mensaje<end>|este es mi ultimo"
     r" mensaje(?! (?:de|del|por|hasta|antes))|(?:dile|diles|decile|decirle|digan|di) a"
     r" <familia> que (?:los|las|le|la|lo) (?:quiero|quise|amo)"),
    (_FIN, _K, r"ya no (?:estare|voy a estar) (?:por )?aqui (?:mucho tiempo|mucho mas|por mucho)"
     r"|cuando (?:leas|lean|alguien lea) esto|perdon(?:ad|adme|enme|ame)? por todo|me despido de"
     r" todos<end>|(?:manana|pronto|el lunes|la semana que viene) ya no (?:estare|voy a"
     r" estar)<end>|(?:pronto|ya no|dejare de|voy a dejar de) (?:sere|ser) (?:un )?(?:problema"
     r"|una carga|una molestia)|nos vemos en (?:otra|la otra|la proxima) vida"
     r"|(?:es|sera) la ultima vez que (?:te|les|os) (?:escribo|hablo)|adios a todos<end>|(?:es|sera"
     r"|esta es) la ultima vez que (?:hablamos|nos vemos|hablo contigo|te escribo)|adios (?:y"
     r" )?gracias"
     r" por (?:todo|intentarlo|ayudarme|tu ayuda|escucharme)|adios a todos(?: <w>){0,2}? gracias"
     r" por todo"),
    (_FIN, _K, r"(?:ya )?no (?:me )?(?:van|vas) a (?:volver a )?ver(?:me)? (?:mas|nunca mas)(?!"
     r" (?:en"
     r"|por|hasta|de)\b)|nunca mas (?:me )?(?:van|vas) a ver|(?:este es|es|sera|va) (?:mi|el)"
     r" ultimo"
     r" mensaje(?: que (?:te |les )?(?:mando|envio|escribo|vas a recibir|recibiras))?<end>"),
    (_FIN, _K, r"(?:fue|ha sido) (?:bonito|lindo|bueno|un placer|un gusto)(?: <w>){0,3}? (?:adios"
     r"|chao|chau|hasta siempre)|no me (?:busquen|busques)<end>|si (?:ya )?no (?:respondo|contesto"
     r"|vuelvo a escribir|escribo) mas"),
    (_FIN, _K, r"(?:ya )?no (?:voy a|vuelvo a) molestar(?:te|les)? (?:mas )?(?:a nadie|nunca"
     r" mas)"),
    (_FIN, _K, r"(?:ya )?(?:me voy|me ire|me voy a ir) para siempre(?! (?:de|del|a|al)\b)"
     r"|porque (?:ya )?no (?:voy a estar|estare)(?:<end>| mas| aqui)|no (?:nos )?(?:vamos a"
     r"|volveremos a|vamos a volver a) (?:hablar|ver|escribir)(?:nos)? (?:mas|nunca mas)(?! (?:en"
     r"|por|hasta|de)\b)|(?:adios|despedirme|despido) (?:<w> ){0,3}?antes de (?:irme|partir|morir"
     r"|que me vaya)(?! (?:a|de|al|del|para)\b)|fue un (?:gusto|placer|honor) (?:conocerte"
     r"|conocerlos|conocerlas|haberte conocido|hablar contigo)|(?:es|sera|esta es) la ultima vez"
     r" que (?:te |les |os )?(?:escribo|hablo|entro)(?: aqui| por aqui| contigo)?<end>"
     r"|(?:perdon(?:enme|ame|ad|adme|en)?|lo siento)(?: <w>){0,2}? (?:no pude mas|no aguante mas"
     r"|ya no pude)"),
)  # fmt: skip

_FILLER = (
    r"(?:voy a|vaya a|ir a|pienso|pensando en|pensar en|quiero|quiera|tengo|tengo ganas de|loca"
    r"|loco"
    r"|ganas de|intencion de|idea de|planes? de|estoy|estar|soy|me|te|a|de|en|la|el|lo|para"
    r"|voy|nada|ningun|ninguna|es que|creo que|realmente|de verdad|para nada|mucho|tan|muy"
    r"|he|ha|vuelto|volvere|volver|pienso en|planeo|tampoco|siquiera|estoy pensando en"
    r"|me siento|siento|seria|sere|tengo pensado|puedo|podria|debo|deberia|ya|jamas|nunca"
    r"|pensaria|pensaria en|se me ocurriria|me plantearia|plantearia|haria|hare|pensamientos"
    r"|ideas|ideacion|tendencias)"
)
_NEGATED = re.compile(rf"(?:^| ){_NEG}(?: {_FILLER})* ?$")

_RULE_SET = RuleSet(
    rules=tuple(
        (category, signal, expand(pattern, _MACROS)) for category, signal, pattern in _RULES
    ),
    negated=_NEGATED,
    skip=frozenset(
        index for index, (_, _, pattern) in enumerate(_RULES) if pattern is _THIRD_PARTY
    ),
)


# --- The broad net ----------------------------------------------------------------------------
# The rules above match kinds of phrasing; new blind batches kept showing indirect ones they miss
# ("ojalá me pase algo", "sería más fácil para todos si no estuviera", plans told as errands,
# goodbyes without the word). The net asks (a CHECK, never a crisis) when a sentence holds a word
# of dying, disappearing, not waking, ending it, a method or harming oneself together with a
# first-person word, unless the sentence is a figure of speech or about someone else. It is read
# only when the rules found nothing.
_FAMILY = (
    r"(?:mama|papa|madre|padre|familia|hijos?|hijas?|herman[oa]s?|novi[oa]|pareja|espos[oa]"
    r"|abuel[oa]|amig[oa]s?|viejos?|vieja)"
)
_NET_PARTS = {
    "wish": r"muerte|si me muero|si me muriera|me (?:de|diera|diese|da) un infarto"
    r"|no (?:[^ ]+ ){0,2}?abrir (?:mas )?los ojos|se (?:cayera|cayese|estrellara|hundiera"
    r"|estrelle) conmigo|morir(?:me|se)?|muera|muriera|muriese|moriria|morire|funeral|velorio"
    r"|entierro|ataud|no (?:[^ ]+ ){0,2}?despert\w*|nunca (?:mas )?despert\w*"
    r"|dormir(?:me)? para siempre|no existir|dejar de existir|no exist(?:a|iera|iese)(?! para)"
    r"|no estuviera|no estuviese|(?:desaparecer(?:me)?|desaparezc\w*|desapareciera|desapareciese"
    r"|desapareceria)(?! de (?!(?:este |el )?mundo|la faz|la tierra|aqui|todo)| un (?:rato|momento"
    r"|ratito|tiempo))|esfumarme|me pas(?:e|ara|ase) algo(?! (?:bueno|lindo|bonito|positivo"
    r"|genial))|atropell\w*|se acabe mi vida|(?:ya )?no voy a estar(?= aqui| mas|(?= ,|$)| para"
    r"| cuando)",
    "harm": r"cortarme|cortandome|cortes|cortadas|me corte|me corto|hacerme dano|me hago dano"
    r"|me hice dano|dano a proposito|lastimarme|me lastimo|me lastime|quemarme|me quemo|me queme"
    r"|sangrar|sangre|me pego|pegarme|golpearme|me golpeo|rasguno|rasguno\w*|aranarme|me arano"
    r"|heridas|navaja|cuchilla|hoja de afeitar",
    "method": r"(?:cuantas|suficientes|todas las|frasco de|caja de|un monton de) (?:pastillas"
    r"|pildoras|somniferos|calmantes)|(?:pastillas|pildoras|frasco) (?:[^ ]+ ){0,5}?(?:guardad"
    r"|escondid|juntad)\w*|dosis (?:letal|mortal|que mata)|que mata(?= ,|$)|la altura del?|tirarme"
    r"|lanzarme|aventarme|saltar (?:de|desde|del)|saltando|colgarme|colgarla|ahorcarme|pistola"
    r"|envenenarme|veneno|vias del|contra un (?:camion|muro|arbol|tren)|barranco|precipicio"
    r"|un arma|edificio alto|(?:puente|edificio) mas alto|(?:cuantos|que) (?:metros"
    r"|pisos) (?:tiene|hay)|viaducto",
    "plan": r"ya (?:tengo|elegi|escogi) (?:la|el) (?:fecha|dia|hora|lugar|sitio|metodo)(?= ,|$)"
    r"|(?:como y cuando|cuando y como|donde y cuando|como y donde) (?:[^ ]+ )?(?:hacerlo|lo hare"
    r"|lo voy a hacer)|(?:elegi|escogi|ya tengo) (?:[^ ]+ ){0,2}?el (?:lugar|sitio|metodo)",
    "prep": r"(?:carta|cartas|nota|notas) (?:[^ ]+ )?(?:a|para) (?:mi|mis) "
    + _FAMILY
    + r"|nota de despedida"
    r"|carta de despedida|testamento|no (?:los|las|lo|la) voy a necesitar|por si me pasa algo"
    r"|cerre (?:todas )?mis cuentas|deje todo (?:pagado|listo|arreglado|ordenado|organizado)"
    r"|list[oa] para irme|irme (?:esta noche|para siempre|de este mundo)",
    "end": r"vivir (?:[^ ]+ ){0,2}?no vale la pena|no vale la pena vivir|(?:terminar|termino"
    r"|acabar|acabo|terminare|acabare) con (?:todo|esto|esta vida)"
    r"|no (?:[^ ]+ ){0,2}?seguir(?=(?= ,|$)| mas(?= ,|$)| asi| viviendo| con vida| adelante"
    r"| existiendo| respirando)|seguir vivo|seguir viviendo|seguir con vida|para que seguir"
    r"|no hay salida|sin salida|(?:estoy|me siento) vaci[oa](?= ,|$)",
    "burden": r"(?:les|te) traigo problemas|solo (?:traigo|causo) problemas|estorbo"
    r"|una carga(?! de trabajo| laboral| menos)|mejor sin mi|sin mi (?:estarian|estaria|seria)"
    r"|nadie (?:me )?(?:extranaria|notaria|se daria cuenta)|les haria un favor|favor a todos",
    "bye": r"(?:te agradezco|gracias por) (?:[^ ]+ ){0,8}?adios(?= ,|$)"
    r"|no me esperen (?:[^ ]+ ){0,12}?nunca|cuiden (?:a|de) mi|no me busquen"
    r"|perdon\w* (?:[^ ]+ ){0,3}?por lo que voy a hacer|ultima vez que (?:me (?:escuchan|ven|leen"
    r"|oyen)|les escribo|te escribo|hablamos)|gracias por todo (?:[^ ]+ ){0,4}?fue (?:lindo"
    r"|un gusto|un placer|bonito)",
}
_NET_CATEGORY = {
    "wish": _WSH, "harm": _SH, "method": _MTH, "plan": _PLN, "prep": _PRE, "end": _HOP,
    "burden": _BUR, "bye": _FIN,
}  # fmt: skip
_NET = re.compile("|".join(rf"\b(?P<{name}>{pattern})\b" for name, pattern in _NET_PARTS.items()))
# Said of oneself without another first-person word ("para qué seguir vivo")
_NET_SELF = frozenset({"end", "burden", "bye"})
_NET_ME = re.compile(
    r"\b(?:yo|me|mi|mis|conmigo|quiero|quisiera|queria|pienso|creo|siento|tengo|estoy|voy|soy"
    r"|puedo|deseo|necesito|prefiero|sueno|fantaseo|imagino|busco|compre|elegi|calcule|escribi"
    r"|deje|regale|hice|cancele|junte|guarde|tome|mire|decidi|termino|acabo|ire|hare|estuviera"
    r"|existiera|muriera|muera|muero|desaparezco|desapareciera|desaparezca|ojala|aguanto|doy"
    r"|sigo|he|estuve|volvi|tuve|hago|necesitar|anote|averigue|borre|cerre|investigue|encontre"
    r"|consegui|prepare|planee|organice|escondi)\b"
)
# The sentence is a figure of speech, or about someone or something else: the net says nothing.
_NET_NOT = re.compile(
    r"\b(?:muer\w*|mori\w*|mata\w*|mato|mate) (?:\w+ ){0,2}?(?:de|del|por|con) (?:\w+ )?"
    r"(?:verguenza|risa|ganas|hambre|sueno|nervios|envidia|calor|frio"
    r"|curiosidad|aburrimiento|pena|miedo|cansancio|sed|amor|ansiedad|emocion|felicidad|alegria"
    r"|asco|espera|estres|angustia|intriga|impaciencia|susto|saber|ver|trabajar|conocer|entrar"
    r"|estudiar)\b|\bme (?:mata|matan|mataron|va a matar|matara|matas)\b|\bmat\w* (?:el tiempo"
    r"|procesos?|al jefe|al boss|el rato)\b|\b(?:partida|juego|videojuego|fortnite|cod"
    r"|minecraft|personaje|boss|jefe final|granada|nivel|ajedrez|serie|pelicula|libro|novela"
    r"|protagonista|noticias?|cancion|primeros auxilios|prevencion|curso|deadline)\b"
    r"|\b(?:murio|murieron|fallecio|fallecieron|se suicido|se mato|se quita la vida|salto"
    r"|desaparecio|desaparecieron)\b|\b(?:corte|corto|cortar\w*) (?:el|la|las|los|mi|mis)"
    r" (?:pelo|cabello|flequillo|barba|unas|luz|rollo|dedo)\b"
    r"|\bmori\w* (?:por|de|antes|en el intento)\b|\b(?:de muerte|testamento vital|como si no"
    r" exist\w*)\b|\b(?:abogado|notari[oa]|tramite|papel|(?:haciendo|preparando) la cena"
    r"|cocin\w*|llamada|afeit\w*|cafe"
    r"|plancha|horno|sarten|aceite)\b|\b(?:vacaciones|viaje|playa"
    r"|linkedin|redes|whatsapp|instagram|fin de semana|finde)\b"
)
# Every net phrase holds a word beginning with one of these (four or five letters): the cheap
# test lets a text through to the net only then.
_NET_STEM_WORDS = (
    "muer mori muri fune velo enti atau despe despi estu esta desa esfu pase pasa atro acab "
    "dorm cort hace dano lasti quem sang pego pega golp rasg aran heri pasti pildo somni "
    "calma fras dosi mata altu azot tira lanz aven salt colg ahor cuer soga pist enve vene "
    "vias cami muro arbo tren barr prec arma edif como cuan dond eleg esco teng cart nota "
    "testa nece deje listo lista irme termi segu vivo sali esto carg mejo sin nadi favo "
    "cuid busq perd ulti grac infa abri ojos conm caye estr hund nava cuch hoja puen metr "
    "piso viad fech cerr vale vaci caus agra adio espe"
)
_NET_STEMS = frozenset(stem.encode() for stem in _NET_STEM_WORDS.split())
# ... or is one of these, whose first letters English shares ("exist", "train")
_NET_WHOLE = frozenset({b"existir", b"existiera", b"exista", b"existiese", b"traigo"})
_NET_FIRST = frozenset(word.decode() for word in _NET_STEMS | _NET_WHOLE)


def _net(words: list[str], breaks: set[int]) -> Screening:
    """A CHECK when a sentence of `words` holds a net phrase and a first-person word."""
    if (
        _NET_FIRST.isdisjoint(words)
        and _NET_FIRST.isdisjoint(map(_FIRST_FOUR, words))
        and _NET_FIRST.isdisjoint(map(_FIRST_FIVE, words))
    ):
        return NOTHING  # no word a net phrase needs: the regular expressions are skipped
    start = 0
    while start < len(words):
        end = words.index(".", start) if "." in words[start:] else len(words)
        found = _net_sentence(words, breaks, start, end)
        if found is not NOTHING:
            return found
        start = end + 1
    return NOTHING


def _net_sentence(words: list[str], breaks: set[int], start: int, end: int) -> Screening:
    # a comma, colon or dash is kept as " ," so that a phrase can end at one
    text = " ".join(
        f", {word}" if index in breaks and index > start else word
        for index, word in enumerate(words[start:end], start)
    )
    if _NET_NOT.search(text):
        return NOTHING
    me = _NET_ME.search(text) is not None
    for match in _NET.finditer(text):
        name = match.lastgroup or ""
        if not me and name not in _NET_SELF:
            continue
        index = start + text.count(" ", 0, match.start()) - text.count(",", 0, match.start())
        first = max(start, index - 4)
        for position in range(index, first, -1):
            if position in breaks:
                first = position
                break
        if not match[0].startswith("no ") and _NEGATED.search(" ".join(words[first:index])):
            continue
        return Screening(CrisisSignal.CHECK, _NET_CATEGORY[name])
    return NOTHING


# --- Cheap test -------------------------------------------------------------------------------
# A rule can only match starting at a word it is filed under (coaching/safety_match.py), so a
# text none of whose words is such a word (or a chat form, a stretched or leetspeak word that
# normalising could turn into one) cannot match, and skips the normalising and the rules. A few
# of those first words are also common English words ("a", "me", "no", "plan"): for them the
# text must also have a word that begins as a longer word of the rules does ("quiero",
# "morir", "suicid..."), which every rule starting with one of them has.
# Figures of speech only ever silence a match, so a text only they could match says nothing.
_SIGNALLING = RuleSet(
    rules=[rule for rule in _RULE_SET.rules if rule[0] is not None], negated=_NEGATED
)
_FIRST_WORDS = _SIGNALLING.first_words()[0] | _SLANG.keys()
_FIRST_STEMS = _SIGNALLING.first_words()[1]
_ENGLISH_TOO = frozenset(
    {"a", "me", "no", "he", "de", "la", "el", "lo", "se", "si", "es", "mi", "un", "una", "le"}
    | {"les", "nos", "ni", "di", "ire", "mas", "con", "sin", "solo", "plan", "app", "auto"}
    | {"video", "idea", "ideas", "taller", "dosis", "carta", "forma", "curso", "programa"}
    | {"linea", "nota", "notas", "tasa", "ong", "fecha", "hasta", "arma", "m", "t", "d"}
    | {"recruiter", "feedback", "test", "dia", "en"}
)


def _required_words(pattern: str) -> list[str]:
    """The words of `pattern` outside its look-aheads ("(?!...)", "(?=...)"): those a match
    can contain. A word the pattern goes on to inflect ("quier[oe]", "suicid\\w*") ends
    with "-"."""
    kept, depth, index = [], 0, 0
    while index < len(pattern):
        if pattern.startswith(("(?!", "(?="), index) and pattern[index - 1 : index] != "\\":
            depth, index = 1, index + 3
            while index < len(pattern) and depth:
                if pattern[index - 1] != "\\":
                    depth += {"(": 1, ")": -1}.get(pattern[index], 0)
                index += 1
            continue
        kept.append(pattern[index])
        index += 1
    text = "".join(kept)
    return [
        m[1] + ("-" if m[2] and m[2] not in " )|" else "")
        for m in re.finditer(r"(?<![a-z\\])([a-z]{3,})(.?)", text)
    ]


# The longer words of the rules that can start with one of those: whole, or the first five
# letters of one the pattern inflects.
_REQUIRED = frozenset(
    word
    for shared in _ENGLISH_TOO
    for pattern in _SIGNALLING.patterns_for(_SLANG.get(shared, shared))
    for word in _required_words(pattern)
    if word.rstrip("-") not in _ENGLISH_TOO
)
_REQUIRED_WHOLE = frozenset(word.encode() for word in _REQUIRED if not word.endswith("-"))
_REQUIRED_START = frozenset(
    word.rstrip("-")[:5].encode() for word in _REQUIRED if word.endswith("-")
)


_FIRST_FIVE, _FIRST_FOUR, _FIRST_THREE = (itemgetter(slice(n)) for n in (5, 4, 3))


def _has_required(raw: set[bytes]) -> bool:
    """Whether one of `raw` is a longer word of those rules, or begins as one they inflect."""
    if raw & _REQUIRED_WHOLE:
        return True
    return not (
        _REQUIRED_START.isdisjoint(map(_FIRST_FIVE, raw))
        and _REQUIRED_START.isdisjoint(map(_FIRST_FOUR, raw))
        and _REQUIRED_START.isdisjoint(map(_FIRST_THREE, raw))
    )


# Letters and digits kept, everything else a space: the rules' words are ASCII without accents.
_WORD_BYTES = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
_FIRST_BYTES = frozenset(word.encode() for word in _FIRST_WORDS if word.isascii())
_STEM_BYTES = frozenset(stem.encode() for stem in _FIRST_STEMS)
_ENGLISH_TOO_BYTES = frozenset(word.encode() for word in _ENGLISH_TOO)
_RUN_OF_THREE = re.compile(rb"([a-z])\1\1")


def might_be_spanish(text: str) -> bool:
    """False when no Spanish rule can match `text` (English text, mostly); True otherwise.

    Works on bytes, which Python splits and compares much faster than text.
    """
    folded = text.casefold()
    if not folded.isascii():
        folded = _ACCENTS.sub("", unicodedata.normalize("NFKD", folded))
    data = folded.encode("ascii", "replace").replace(b"'", b"")  # "I'm": no lone "m"
    raw = set(data.translate(_WORD_BYTES).split())
    first = raw & _FIRST_BYTES
    if first - _ENGLISH_TOO_BYTES:
        return True
    if any(stem in data for stem in _STEM_BYTES) and any(
        word[:STEM_LENGTH] in _STEM_BYTES for word in raw
    ):
        return True
    odd = []  # "kiero", "m0rir", "moriiir": words normalising could turn into a rule's word
    spaced = b" " + data.translate(_WORD_BYTES)
    if b" k" in spaced or len(data.translate(None, b"0123456789")) < len(data):
        odd = [word for word in raw if word[:1] == b"k" or not (word.isalpha() or word.isdigit())]
    if _RUN_OF_THREE.search(data):
        odd += [word for word in raw if _RUN_OF_THREE.search(word)]
    if any(
        w in _FIRST_WORDS or w in _NET_FIRST or w[:4] in _NET_FIRST or w[:5] in _NET_FIRST
        for word in odd
        for w in words(word.decode())
    ):
        return True
    if bool(first) and _has_required(raw - _ENGLISH_TOO_BYTES):
        return True
    return not (
        _NET_STEMS.isdisjoint(map(_FIRST_FOUR, raw))
        and _NET_STEMS.isdisjoint(map(_FIRST_FIVE, raw))
    )


def screen(text: str) -> Screening:
    """The strongest Spanish signal in `text` and its category."""
    words, breaks = _tokens(text)
    found = _RULE_SET.screen(words, breaks)
    return _net(words, breaks) if found is NOTHING else found
