"""The words a hirer's reply is read with in Spanish and Russian (`coaching.replies`).

Each pattern here plays the part of the English pattern of the same name in
`coaching.replies`, and is matched against the reply folded as `ReplyWords.fold` folds it:
Spanish without accents ("diseño" as "diseno", so "diseno" typed without them matches too),
Russian with "ё" as "е". Russian words are matched on their stems ("опыт\\w*"), so every case
ending reads.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ReplyWords:
    """One language's patterns (regular expressions, matched ignoring case)."""

    language: str
    technologies: Mapping[str, str]
    """Technology (its English name in `coaching.replies`) -> more words for it here."""
    technology_names: Mapping[str, str]
    """Technology -> its name here, where it is a word rather than a product name."""
    topics: tuple[tuple[str, str], ...]
    """(a `coaching.replies.Topic` value, its pattern)."""
    gap: str
    contrast: str
    about_applying: str
    numbers: Mapping[str, int]
    """Number words and phrases (folded) -> the count they mean ("unos" 3, "несколько" 3)."""
    units: Mapping[str, str]
    """The start of a unit word -> "day", "week", "month" or "year"."""
    unit: str
    span: str
    """With {NUM} and {UNIT} to fill; groups n/unit, n2/unit2, half as in English. A unit
    with no number after a preposition is one ("через год", "в течение года")."""
    months: tuple[str, ...]
    """How each month's name starts (January first); the pattern {MONTH} is built from them."""
    month_phrase: str
    after_month: frozenset[str]
    """The `prep` words of `month_phrase` that mean "once that month is over"."""
    seasons: Mapping[str, int]
    """The start of a season's word -> the month it starts."""
    season_phrase: str
    after_season: frozenset[str]
    next_year: str
    next_quarter: str
    date_context: str
    cv_context: str
    apply_context: str

    def fold(self, text: str) -> str:
        """The reply as the patterns read it (same length: one character for one)."""
        if self.language == "ru":
            return text.replace("ё", "е").replace("Ё", "Е")
        decomposed = unicodedata.normalize("NFD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return bare if len(bare) == len(text) else text


_ES_NUMBERS = {
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "dieciocho": 18, "veinticuatro": 24, "un par de": 2, "par de": 2, "unos pocos": 3,
    "unos cuantos": 3, "unos": 3, "algunos": 3, "varios": 6, "medio": 0,
}  # fmt: skip
_ES_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "se(?:p|)tiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_RU_NUMBERS = {
    "один": 1, "одну": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "три": 3,
    "трех": 3, "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6,
    "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
    "двенадцать": 12, "двенадцати": 12, "восемнадцать": 18, "двадцать четыре": 24,
    "пару": 2, "пара": 2, "несколько": 3, "нескольких": 3,
}  # fmt: skip
_RU_MONTHS = (
    "январ", "феврал", "март", "апрел", "ма[йяею]", "июн", "июл", "август", "сентябр",
    "октябр", "ноябр", "декабр",
)  # fmt: skip


SPANISH = ReplyWords(
    language="es",
    technologies={
        "Docker": r"contenedores",
        "cloud deployments": r"(?:(?:despliegues?|infraestructura|servicios|plataformas?)"
        r" (?:en )?)?la nube|cloud",
        "SQL": r"bases? de datos",
        "microservices": r"microservicios?",
        "machine learning": r"aprendizaje automatico|aprendizaje profundo",
        "CI/CD": r"integracion continua|despliegue continuo",
    },
    technology_names={
        "cloud deployments": "la nube",
        "microservices": "microservicios",
        "machine learning": "aprendizaje automático",
    },
    topics=(
        (
            "system_design",
            r"diseno de sistemas|system design|arquitectur\w*|escalab\w*|"
            r"sistemas distribuidos|diseno (?:de )?(?:alto|bajo) nivel|"
            r"diseno de (?:servicios|plataformas|soluciones)",
        ),
        (
            "algorithms",
            r"algoritm\w*|estructuras? de datos|leetcode|big[- ]o|complejidad (?:temporal|"
            r"computacional|algoritmica)|programacion dinamica|recursi\w*|\bgrafos?\b",
        ),
        (
            "coding_speed",
            r"velocidad|rapidez|mas rapid\w*|\blent(?:o|a|os|as|itud)\b|"
            r"(?:se te|se le|se nos|se) (?:acabo|termino) el tiempo|sin tiempo|"
            r"gestion del tiempo|tiempo (?:limite|disponible)|no (?:lograste|pudiste|"
            r"alcanzaste a|llegaste a|logro|pudo) (?:terminar|completar|acabar)|"
            r"incomplet\w*|sin terminar|dentro del tiempo",
        ),
        (
            "problem_solving",
            r"resolucion de problemas|resolver problemas|preguntas (?:aclaratorias|"
            r"de aclaracion|para aclarar)|hacer (?:mas |suficientes )?preguntas|trade[- ]?offs?|"
            r"ventajas y desventajas|compensaciones|descompon\w* (?:el )?problema|"
            r"te lanzaste|lanzarte (?:directamente )?a",
        ),
        (
            "communication",
            r"comunicacion|comunicar\w*|explica\w*|articula\w*|en voz alta|claridad|"
            r"poco clar\w*|(?:dificil|costaba|costo) (?:de )?seguir|concis\w*|divag\w*|"
            r"estructur\w* (?:\w+ )?(?:tus |las |sus )?respuestas|respuestas (?:demasiado |muy )"
            r"largas|demasiado extens\w*|te extendiste",
        ),
        (
            "testing",
            r"pruebas (?:unitarias|automatizadas|de software)|escribiste pruebas|"
            r"escribir pruebas|tests? (?:unitarios?|automatizados?)|\btesting\b|\btdd\b|"
            r"cobertura de (?:pruebas|tests|codigo)|casos? (?:limite|borde|extremos?)|"
            r"depura\w*|debug\w*",
        ),
        (
            "code_quality",
            r"calidad del codigo|calidad de(?:l| tu) codigo|codigo (?:mas )?limpio|clean code|"
            r"legib\w*|mantenib\w*|refactor\w*|buenas practicas|estructura del codigo|"
            r"nombres de (?:variables|funciones)|revision de codigo|code review",
        ),
        (
            "culture_fit",
            r"cultur\w*|encaj\w*|nuestros valores|colabora\w*|trabajo en equipo|"
            r"trabajar en equipo|partes interesadas|stakeholders?|interpersonal\w*",
        ),
        (
            "behavioural",
            r"conductual\w*|comportamiento|\bstar\b|ejemplos? (?:mas )?(?:concretos|"
            r"especificos|reales)|ejemplos? de tus?|situacional\w*|competencias",
        ),
        (
            "leadership",
            r"liderazgo|liderar (?:un |el |los )?(?:equipos?|proyectos?)|lideraste|"
            r"responsabilidad sobre|ownership|mentor\w*|iniciativa|gestion de personas",
        ),
        (
            "domain",
            r"conocimient\w* (?:\w+ ){0,2}(?:del|de la|sobre el|sobre la|en el|en la) "
            r"(?:sector|industria|dominio|negocio|mercado)|vision de (?:producto|negocio)|"
            r"sentido de producto|entender (?:el|nuestro) (?:negocio|producto|mercado)",
        ),
        (
            "preparation",
            r"prepar\w*|investiga\w* (?:sobre )?(?:la|nuestra) empresa|"
            r"conoc\w* (?:de |sobre )?(?:la|nuestra) empresa|sobre (?:la|nuestra) empresa|"
            r"por que (?:quieres|querias) (?:trabajar|unirte)|motivacion (?:para|por)|"
            r"nuestra mision",
        ),
        (
            "confidence",
            r"confianza|segurida\w*|mas segur\w*|nervios\w*|titube\w*|asertiv\w*|insegur\w*|"
            r"dudaste",
        ),
        (
            "experience",
            r"(?:mas|suficiente|relevante|practica|real|profesional|previa|directa|comercial) "
            r"experiencia|experiencia (?:mas |suficiente|relevante|practica|real|profesional|"
            r"previa|directa|comercial|con|en|de)|anos de experiencia|nivel de experiencia|"
            r"(?:mas )?senior(?:ity)?\b|demasiado junior|mas experiencia|trayectoria|"
            r"(?:falta|faltaba|falto|carec\w*|poca|limitada|insuficiente) (?:de )?(?:\w+ ){0,2}"
            r"experiencia|perfil mas (?:senior|experimentado)",
        ),
        ("cv", r"\bcv\b|curriculum|hoja de vida|portafolio|portfolio"),
    ),
    gap=(
        r"\b(?:mejor\w*|practic\w*|reforz\w*|refuerz\w*|fortalec\w*|falt\w*|carec\w*|"
        r"mas(?! de \d)|menos|profundi\w*|trabaj(?:ar|es|a) en|enfoc\w*|centrarte|"
        r"centrate|ganar|adquirir|construir|aprend\w*|desarroll\w*|repas\w*|recomend\w*|"
        r"sugeri\w*|suger\w*|aconse\w*|debil\w*|carencia\w*|limitad\w*|insuficient\w*|"
        r"necesit\w*|deberias|deberia|podrias|convendria|habria|nos (?:gustaria|hubiera"
        r" gustado)|buscabamos|buscamos|esperabamos|costo|costaba|dificult\w*|dificil|"
        r"preocup\w*|se quedo corto|por debajo|demasiado|intenta\w*|asegurate|"
        r"no (?:lograste|pudiste|hiciste|tenias|tuviste|escribiste|hubo|estuvo|esta|fue|era|"
        r"mostraste|encaj\w*|termin\w*|complet\w*|te habias|habias|del todo)|sin (?:hacer|"
        r"preguntar|pensar|terminar)|todavia no|aun no|margen de mejora|area a mejorar|"
        r"areas a mejorar|acabo|incomplet\w*|lanzaste|divag\w*|titube\w*|nervios\w*|"
        r"pul(?:ir|e|as)|afin\w*|refresc\w*|revis\w*|lent\w*|poco)\b"
    ),
    contrast=r"\b(?:pero|sin embargo|aunque|no obstante|mientras que)\b|;",
    about_applying=(
        r"\b(?:postul\w*|volver a (?:aplicar|presentar\w*|intentar\w*)|vuelve a aplicar|"
        r"reaplicar|candidatura\w*|solicitud\w*|cv|curriculum|hoja de vida|base de datos|"
        r"bolsa de (?:trabajo|talento)|futur\w* (?:vacantes|oportunidades|posiciones|"
        r"procesos)|contactar\w*|contactaremos|en contacto|mucha suerte|mucho exito|"
        r"te deseamos|intentarlo (?:de nuevo|otra vez|nuevamente))\b"
    ),
    numbers=_ES_NUMBERS,
    units={"dia": "day", "semana": "week", "mes": "month", "ano": "year"},
    unit=r"(?:dias?|semanas?|mes(?:es)?|anos?)",
    span=(
        r"\b(?:en(?: un plazo de)?|dentro de|despues de|tras(?: un periodo de espera de)?|"
        r"durante|por|pasad[oa]s|al cabo de|de aqui a|periodo de(?: espera de)?|"
        r"plazo de|esperar|esperes)\s+"
        r"(?:(?:los|las|al menos|aproximadamente|alrededor de|proximos|proximas|otros|otras|"
        r"unos|unas)\s+){{0,2}}"
        r"(?P<n>{NUM})(?:\s*(?:-|–|a|o)\s*{NUM})?\s+(?P<unit>{UNIT})\b|"
        r"\b(?P<n2>{NUM})(?:\s*(?:-|–|a|o)\s*{NUM})?\s+(?P<unit2>{UNIT})\s+"
        r"(?:a partir de (?:hoy|ahora)|desde (?:hoy|ahora)|mas tarde|de espera)\b|"
        r"\b(?P<half>medio ano)\b"
    ),
    months=_ES_MONTHS,
    month_phrase=(
        r"\b(?P<prep>despues de|a partir de|desde|en|para|hacia|hasta|a principios de|"
        r"principios de|a mediados de|mediados de|a finales de|finales de|a fines de|"
        r"fines de|tras|pasado)\s+(?:(?:el mes de|de)\s+)?(?P<month>{MONTH})"
        r"(?:\s+(?:de|del)\s+(?P<year>20\d\d))?"
    ),
    after_month=frozenset(
        {"despues de", "a finales de", "finales de", "a fines de", "fines de", "tras", "pasado"}
    ),
    seasons={"primavera": 3, "verano": 6, "otono": 9, "invierno": 12},
    season_phrase=(
        r"\b(?P<prep>despues|tras|en|para|desde|durante|a partir)\s+(?:de\s+)?(?:el|la|del)\s+"
        r"(?P<season>primavera|verano|otono|invierno)\b"
    ),
    after_season=frozenset({"despues", "tras"}),
    next_year=(
        r"\b(?:(?:el|del) )?(?:proximo ano|ano que viene|ano siguiente|siguiente ano|"
        r"nuevo ano)\b"
    ),
    next_quarter=r"\b(?:(?:proximo|siguiente) trimestre|trimestre que viene)\b",
    date_context=(
        r"\b(?:postul\w*|volver a (?:aplicar|presentar\w*|intentar\w*)|vuelve a aplicar|"
        r"aplica\w*|de nuevo|nuevamente|otra vez|cv|curriculum|hoja de vida|archiv\w*|"
        r"guardar\w*|guardamos|conservar\w*|conservaremos|mantendremos|tendremos en cuenta|"
        r"base de datos|bolsa de (?:talento|trabajo)|contact\w*|en contacto|vacantes?|"
        r"oportunidad\w*|posicion\w*|contrat\w*|considerar\w*|futur\w*|avisar\w*|"
        r"abr(?:ir|amos|an|a)|procesos?)\b"
    ),
    cv_context=(
        r"\b(?:cv|curriculum|hoja de vida|archiv\w*|base de datos|bolsa de talento|"
        r"guardar\w*|guardamos|conservar\w*|conservaremos|mantendremos|tendremos en cuenta|"
        r"te avisaremos|avisarte|contactarte|te contactaremos|nos pondremos en contacto)\b"
    ),
    apply_context=(
        r"\b(?:postul\w*|volver a (?:aplicar|presentar\w*|intentar\w*)|vuelve a aplicar|"
        r"reaplicar|candidatura|solicitud|intentarlo (?:de nuevo|otra vez|nuevamente))\b"
    ),
)


RUSSIAN = ReplyWords(
    language="ru",
    technologies={
        "Docker": r"контейнер\w*",
        "cloud deployments": r"облак\w*|облачн\w*",
        "SQL": r"баз\w* данных|субд",
        "microservices": r"микросервис\w*",
        "machine learning": r"машинн\w* обучени\w*",
        "CI/CD": r"непрерывн\w* интеграци\w*",
    },
    technology_names={
        "cloud deployments": "облачные технологии",
        "microservices": "микросервисы",
        "machine learning": "машинное обучение",
    },
    topics=(
        (
            "system_design",
            r"системн\w* дизайн\w*|дизайн\w* систем\w*|проектировани\w* (?:систем|архитектур)\w*|"
            r"system design|архитектур\w*|масштабир\w*|распределенн\w* систем\w*",
        ),
        (
            "algorithms",
            r"алгоритм\w*|структур\w* данных|leetcode|big[- ]o|сложност\w* алгоритм\w*|"
            r"динамическ\w* программировани\w*|рекурси\w*|\bграф(?:ы|ов|ам|ах|ами|а|е)?\b",
        ),
        (
            "coding_speed",
            r"скорост\w*|быстрее|медленн\w*|слишком долго|не хватил\w* времени|"
            r"нехватк\w* времени|не уложил\w* (?:в|во) (?:время|срок)|не успел\w*|"
            r"тайм[- ]?менеджмент\w*|не (?:закончил\w*|доделал\w*|завершил\w*|довел\w*)|"
            r"незаконченн\w*|незавершенн\w*|не до конца|в отведенное время",
        ),
        (
            "problem_solving",
            r"решени\w* (?:задач|проблем)|уточняющ\w* вопрос\w*|задава\w* (?:больше )?вопрос\w*|"
            r"компромисс\w*|trade[- ]?offs?|разби\w* (?:задачу|проблему)|декомпози\w*|"
            r"сразу (?:начал\w*|бросил\w*|перешл\w*|приступил\w*) (?:писать|к коду|к написанию)",
        ),
        (
            "communication",
            r"коммуникаци\w*|коммуникатив\w*|объясн\w*|формулир\w*|излага\w*|изложени\w*|"
            r"рассужда\w* вслух|вслух|ясност\w*|неясн\w*|(?:сложно|трудно) (?:было )?"
            r"(?:следить|понять)|лаконичн\w*|многослов\w*|структурир\w* (?:\w+ )?ответ\w*|"
            r"структур\w* ответ\w*|слишком длинн\w*|растека\w*",
        ),
        (
            "testing",
            r"тестировани\w*|юнит[- ]тест\w*|автотест\w*|модульн\w* тест\w*|"
            r"\bтест(?:ы|ов|ам|ами|ах)\b|\btdd\b|покрыти\w* тест\w*|граничн\w* случа\w*|"
            r"крайн\w* случа\w*|edge cases?|отладк\w*|дебаг\w*|unit tests?",
        ),
        (
            "code_quality",
            r"качеств\w* (?:\w+ ){0,2}кода|чист\w* код\w*|clean code|читаем\w*|читабельн\w*|"
            r"поддерживаем\w*|рефактор\w*|лучш\w* практик\w*|best practices|структур\w* кода|"
            r"именовани\w*|нейминг\w*|код[- ]ревью|code review|(?:трудно|сложно) (?:было )?читать",
        ),
        (
            "culture_fit",
            r"культур\w*|ценност\w*|впис\w* в команд\w*|командн\w* работ\w*|работ\w* в команде|"
            r"сотрудничеств\w*|взаимодейств\w*|стейкхолдер\w*|заинтересованн\w* сторон\w*|"
            r"межличностн\w*",
        ),
        (
            "behavioural",
            r"поведенческ\w*|\bstar\b|конкретн\w* пример\w*|реальн\w* пример\w*|"
            r"пример\w* из (?:вашего|твоего|прошл\w*|собственн\w*|предыдущ\w*)|"
            r"ситуационн\w*|компетенц\w*",
        ),
        (
            "leadership",
            r"лидерств\w*|лидерск\w*|руководств\w* (?:командой|проектом|проектами|людьми)|"
            r"руковод\w* команд\w*|управлени\w* (?:командой|людьми)|ответственност\w* за|"
            r"ownership|менторств\w*|наставничеств\w*|инициатив\w*",
        ),
        (
            "domain",
            r"(?:знани\w*|понимани\w*|экспертиз\w*) (?:\w+ ){0,2}(?:предметной области|домена|"
            r"отрасли|индустрии|рынка|продукта|бизнеса|сферы)|предметн\w* област\w*|"
            r"доменн\w* (?:знани\w*|экспертиз\w*)|продуктов\w* мышлени\w*|бизнес[- ]контекст\w*",
        ),
        (
            "preparation",
            r"подготов\w*|готовил\w*|(?:изучил\w*|изучить|знали|знать|узнать) (?:\w+ ){0,2}"
            r"компани\w*|о (?:нашей )?компании|почему (?:вы |ты )?(?:хотите|хочешь|хотели) "
            r"(?:работать|к нам)|мотиваци\w*|нашей мисси\w*",
        ),
        (
            "confidence",
            r"уверенн\w*|неуверенн\w*|нервнича\w*|нервн\w*|волнени\w*|волновал\w*|колеба\w*|"
            r"сомнева\w*|напористост\w*|стеснител\w*",
        ),
        (
            "experience",
            r"(?:больше|более|достаточн\w*|релевантн\w*|практическ\w*|коммерческ\w*|"
            r"реальн\w*|профессиональн\w*|предыдущ\w*|прям\w*|глубок\w*|большим|большой) "
            r"(?:\w+ )?опыт\w*|опыт\w* (?:работы )?(?:с|в|на|работы)\b|лет опыта|"
            r"уровн\w* опыта|senior\w*|сеньор\w*|синьор\w*|(?:слишком )?джун\w*|junior|"
            r"более опытн\w*|(?:не хватает|не хватило|недостат\w*|мало|недостаточно|нехватк\w*)"
            r" (?:\w+ ){0,2}опыт\w*",
        ),
        ("cv", r"резюме|\bcv\b|портфолио"),
    ),
    gap=(
        r"\b(?:улучш\w*|подтян\w*|практик\w*|тренир\w*|укреп\w*|усил\w*|недостат\w*|"
        r"не хватил\w*|не хватает|не хватало|нехватк\w*|больше|более(?! чем)|меньше|глубже|"
        r"глубин\w*|лучше|поработа\w*|работ\w* над|сосредоточ\w*|сфокусир\w*|набрат\w*|"
        r"набер\w*|приобрест\w*|развива\w*|развит\w*|изуч\w*|освежи\w*|повтори\w*|подучи\w*|"
        r"рекоменд\w*|совет\w*|предлага\w*|слаб\w*|пробел\w*|ограниченн\w*|недостаточн\w*|"
        r"нужн\w*|надо|необходим\w*|следует|стоит|стоило|хотел\w* бы|ожидал\w*|искал\w*|"
        r"ищем|затрудн\w*|сложно|трудно|медленн\w*|неясн\w*|беспоко\w*|не дотяг\w*|ниже|"
        r"слишком|постара\w*|старайтесь|попробу\w*|убедит\w*|мало|не совсем|"
        r"не (?:удалось|смог\w*|успел\w*|закончил\w*|довел\w*|было|был\w*|показал\w*|"
        r"привел\w*|задал\w*|задав|рассказал\w*|уложил\w*|учл\w*|написал\w*|готовил\w*)|"
        r"пока не|еще не|есть куда расти|зон\w* роста|незаконченн\w*|незавершенн\w*|"
        r"растека\w*|нервнича\w*|сомнева\w*|отшлифова\w*|шлифова\w*|доработа\w*|углуб\w*)"
    ),
    contrast=r"\b(?:но|однако|хотя|зато|тогда как|а вот)\b|;",
    about_applying=(
        r"(?:отклик\w*|откликн\w*|подать|подавайте\w*|подайте|заявк\w*|резюме|\bcv\b|"
        r"в (?:нашей )?базе|кадров\w* резерв\w*|в резерв\w*|будущ\w* (?:вакансии|вакансий|"
        r"возможност\w*)|новых вакансий|свяжемся|связаться с вами|на связи|удачи|успехов|"
        r"всего доброго|всего наилучшего|попробова\w* (?:снова|еще раз)|"
        r"попробуйте (?:снова|еще раз))"
    ),
    numbers=_RU_NUMBERS,
    units={"д": "day", "нед": "week", "месяц": "month", "год": "year", "лет": "year"},
    unit=r"(?:дн(?:я|ей|и)|день|недел(?:ю|и|ь|я)|месяц(?:а|ев)?|год(?:а)?|лет)",
    span=(
        r"(?:через|спустя|по истечении|после|в течение|на протяжении|в ближайш\w*|"
        r"в течение ближайш\w*|не ранее,? чем через|не раньше,? чем через|минимум через|"
        r"хотя бы через|примерно через|на)\s+"
        r"(?:(?:примерно|около|минимум|хотя бы|как минимум|ближайш\w*|следующ\w*)\s+)?"
        r"(?:(?P<n>{NUM})(?:\s*(?:-|–|или)\s*{NUM})?\s+)?(?P<unit>{UNIT})\b|"
        r"\b(?P<n2>{NUM})(?:\s*(?:-|–|или)\s*{NUM})?\s+(?P<unit2>{UNIT})\s+"
        r"(?:спустя|позже|ожидания)\b|"
        r"(?:(?:через|спустя|на|в течение)\s+)?(?P<half>полгода|полугода|пол года)"
    ),
    months=_RU_MONTHS,
    month_phrase=(
        r"(?P<prep>после|начиная с|с начала|в начале|в середине|в конце|к концу|ближе к|"
        r"не раньше|не ранее|с|со|в|к|до)\s+(?P<month>{MONTH})\w*"
        r"(?:\s+(?P<year>20\d\d))?"
    ),
    after_month=frozenset({"после", "в конце", "к концу"}),
    seasons={"весн": 3, "лет": 6, "осен": 9, "зим": 12},
    season_phrase=(
        r"(?:(?P<prep>после|к|с|ближе к|до)\s+)?"
        r"(?P<season>весн\w*|лет(?:о|а|у|ом)\b|осен\w*|зим\w*)"
    ),
    after_season=frozenset({"после"}),
    next_year=(
        r"(?:в )?следующ\w* год\w*|в новом году|в начале (?:следующего|нового) года|"
        r"на следующий год|в будущем году"
    ),
    next_quarter=r"(?:в )?следующ\w* квартал\w*",
    date_context=(
        r"(?:отклик\w*|откликн\w*|подать|подавайте\w*|подайте|заявк\w*|снова|еще раз|"
        r"повторно|резюме|\bcv\b|сохран\w*|оставим|храним|в базе|баз\w* данных|резерв\w*|"
        r"свяж\w*|связаться|на связи|напишем|ваканси\w*|возможност\w*|найм\w*|нанима\w*|"
        r"рассматр\w*|будущ\w*|сообщим|откро\w*|позици\w*)"
    ),
    cv_context=(
        r"(?:резюме|\bcv\b|сохран\w*|оставим|храним|в базе|баз\w* данных|резерв\w*|"
        r"свяжемся|свяжутся|связаться с вами|сообщим|напишем вам)"
    ),
    apply_context=(
        r"(?:отклик\w*|откликн\w*|подать|подавайте\w*|подайте|заявк\w*|"
        r"попробова\w* (?:снова|еще раз)|попробуйте (?:снова|еще раз))"
    ),
)
