"""A keyword screen for messages that suggest a risk of suicide or self-harm.

This is not a diagnosis and cannot judge risk: it spots common phrasings, organised after the
categories of the Columbia Suicide Severity Rating Scale (wish to be dead, active thoughts,
method, intent, plan, preparatory behaviour) plus self-harm, burden, hopelessness and finality,
so that the bot can pause coaching and point to people who can help (CRISIS), or gently ask
"are you thinking about harming yourself?" when a line is ambiguous (CHECK). It errs towards
the gentle check, while skipping everyday figures of speech such as "I killed it", "this job
hunt is killing me" or "I'm dying to know". See docs/safety.md ("The screen") for what it
catches, how it was measured (tests/coaching/safety_eval.txt) and what it cannot do.

The rules in this module are the English ones; `screen` also reads every message with the
Spanish (coaching/safety_es.py) and Russian (coaching/safety_ru.py) rules, whatever language
the person has chosen, and answers the most severe of the three.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from coaching import safety_es, safety_ru
from coaching.safety_match import STEM_LENGTH as _STEM_LENGTH
from coaching.safety_match import dispatch
from coaching.safety_match import whole_words as _whole_words
from coaching.safety_types import NOTHING, Category, CrisisSignal, Screening, most_severe
from coaching.safety_types import stronger as _stronger

__all__ = ["Category", "CrisisSignal", "Screening", "detect_crisis", "normalise", "screen"]

_NOTHING = NOTHING

# --- Normalising ------------------------------------------------------------------------------
# The patterns below run on text that is NFKC-folded and lower case; apostrophes inside words
# dropped ("don't", "don’t" -> "dont"); leetspeak undone inside words ("k1ll", "su!c!de",
# "$uicide", "d1e"); letters spelled out one by one joined ("k i l l", "k.i.l.l"); stretched
# letters shrunk ("diiiie", "killlll"); chat forms spelled out ("wanna" -> "want to", "idk",
# "tmrw", "u"); anything else that is not a letter or digit a space, except that the end of a
# sentence (. ! ? ; before a space or the end) is kept as " . " so that a pattern, and a
# negation, never reaches across two sentences. A lone digit stays a digit ("4 jobs"), bar "2"
# between words ("want 2 die").

_QUOTES = str.maketrans(dict.fromkeys("’‘ʼ`´′‛", "'"))
# Each step is a precompiled regex, most behind a cheap test, so that a message costs well under
# a tenth of a millisecond here.
_INWORD_APOSTROPHE = re.compile(r"'(?<=[^\W_]')(?=[^\W_])")
_LEET_SYMBOL = re.compile(r"[!*|@](?<=[^\W\d_].)(?=[^\W\d_])|\$(?:(?<=[^\W\d_]\$)|(?=[^\W\d_]))")
_LEET_SYMBOLS = {"!": "i", "*": "i", "|": "i", "$": "s", "@": "a"}
# A run of sentence marks, and the space after it if any: ". " ends a sentence, "..." does not.
_PUNCTUATION = re.compile(r"([.!?;…]+)(\s|$)?")
# Everything else that is not a letter or a digit becomes a space (so does a dot inside a word,
# "node.js", "k.i.l.l"). One space between letters keeps them together to be joined ("k i l l",
# "s-u-i-c-i-d-e"); two or more end a word ("k i l l  m e").
_ASCII_PUNCTUATION = str.maketrans(
    dict.fromkeys("!\"#$%&'()*+,-/:;<=>?@[\\]^_`{|}~·•\x7f", " ")
    | dict.fromkeys(map(chr, range(32)), " ")  # tabs, new lines and other control characters
)
_OTHER_NON_WORD = re.compile(r"[^\w.\s]|_|\s")
_STRAY_DOT = re.compile(r"\.(?:(?<=\w\.)|(?=\w))")
_TRIPLES = tuple(letter * 3 for letter in "abcdefghijklmnopqrstuvwxyz")
_RUN_OF_THREE = re.compile(r"([^\W\d_])\1\1")
# Chat forms and common misspellings, word for word.
_SLANG = {
    "wanna": "want to", "wana": "want to", "wannna": "want to", "gonna": "going to",
    "gona": "going to", "gotta": "got to", "tryna": "trying to", "finna": "going to",
    "imma": "im going to", "ima": "im going to", "lemme": "let me", "gimme": "give me",
    "dunno": "dont know", "idk": "i dont know", "idc": "i dont care", "idgaf": "i dont care",
    "ik": "i know", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow",
    "tmw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow", "tomoz": "tomorrow",
    "tonite": "tonight", "2nite": "tonight", "2night": "tonight", "nite": "night",
    "2day": "today", "rn": "right now", "u": "you", "ur": "your", "r": "are", "ya": "you",
    "bc": "because", "cuz": "because", "coz": "because", "cos": "because", "bcuz": "because",
    "bout": "about", "abt": "about", "b4": "before", "ppl": "people", "sum1": "someone",
    "some1": "someone", "no1": "no one", "noone": "no one", "any1": "anyone",
    "every1": "everyone", "evry1": "everyone", "nobdy": "nobody", "thinkin": "thinking",
    "havin": "having", "feelin": "feeling", "tryin": "trying", "goin": "going",
    "livin": "living", "dyin": "dying", "nothin": "nothing", "somethin": "something",
    "sayin": "saying", "writin": "writing", "doin": "doing", "gettin": "getting",
    "ded": "dead", "deth": "death", "dieing": "dying",
    "myslef": "myself", "mysef": "myself", "mysel": "myself", "myelf": "myself",
    "mself": "myself", "meself": "myself", "kil": "kill", "kiling": "killing",
    "sucide": "suicide", "suiside": "suicide", "suicde": "suicide", "sucidal": "suicidal",
    "suisidal": "suicidal", "suicidle": "suicidal", "suacide": "suicide",
    "selfharm": "self harm", "selfharming": "self harming",
}  # fmt: skip
_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
_RUN = re.compile(r"([^\W\d_])\1+")


def normalise(text: str) -> str:
    """The form the screen matches on: lower case, plain words, " . " between sentences.

    ``normalise("I DON’T  w4nna d i e...")`` is ``"i dont want to die"``.
    """
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    if "'" in folded:
        folded = _INWORD_APOSTROPHE.sub("", folded)
    if any(symbol in folded for symbol in _LEET_SYMBOLS):
        folded = _LEET_SYMBOL.sub(lambda m: _LEET_SYMBOLS[m.group()], folded)
    folded = _PUNCTUATION.sub(_sentence_marks, folded).translate(_ASCII_PUNCTUATION)
    if not folded.isascii():
        folded = _OTHER_NON_WORD.sub(" ", folded)
    if "." in folded:
        folded = _STRAY_DOT.sub(" ", folded)
    stretched = any(map(folded.__contains__, _TRIPLES))
    words: list[str] = []
    letters: list[str] = []  # single letters in a row, "k i l l"
    for token in folded.split(" "):
        if len(token) == 1 and token != ".":
            letters.append(token)
            continue
        if letters:
            words.extend(_spelled_out(letters))
            letters = []
        if not token or (token == "." and (not words or words[-1] == ".")):
            continue
        fixed = _SLANG.get(token)
        if fixed is None:
            plain = token.isalpha() and not (stretched and _RUN_OF_THREE.search(token))
            fixed = token if plain else _fix_token(token)
        words.append(fixed)
    words.extend(_spelled_out(letters))
    if words and words[-1] == ".":
        words.pop()
    return words


def _sentence_marks(match: re.Match[str]) -> str:
    marks, space = match.group(1), match.group(2)
    if "…" in marks or ".." in marks:  # an ellipsis: a pause, not an end
        return " "
    return marks if space is None else " . "  # "k.i.l.l" stays for now; ". " ends a sentence


def _spelled_out(letters: list[str]) -> list[str]:
    """["k", "i", "l", "l"] -> ["kill"]; "i w a n t" -> "i want"; "a b c" (no words) kept apart."""
    if len(letters) < 2:
        return [_fix_token(letter) for letter in letters]
    joined = "".join(letters)
    word = _fix_token(joined)
    if word in _VOCABULARY:
        return [word]
    split = _split_words(word) if len(joined) >= 4 else None
    return [split] if split else [_fix_token(letter) for letter in letters]


def _fix_token(token: str) -> str:
    """One token: chat forms spelled out, digits read as letters, stretched letters shrunk.

    Not cached: nothing of a message outlives the call (docs/safety.md, "Nothing kept").
    """
    if token in _SLANG:
        return _SLANG[token]
    if token.isdigit():
        return "to" if token == "2" else token
    if len(token) == 1 or token in _VOCABULARY:
        return token
    if any(ch.isdigit() for ch in token):
        # Digits read as letters only to make a word the screen knows, and only if there are
        # no more digits than letters: "k1ll", "su1c1de", "t0"; "45k", "3rd", "9am" stay.
        letters = sum(ch.isalpha() for ch in token)
        if letters < len(token) - letters:
            return token
        as_i = "".join(_LEET_DIGITS.get(ch, ch) for ch in token)
        for spelling in [as_i, as_i.replace("i", "l")] if "1" in token else [as_i]:
            for candidate in _shrunk(spelling):
                if candidate in _VOCABULARY or candidate in _SLANG:
                    return _SLANG.get(candidate, candidate)
        return token
    for candidate in _shrunk(token):
        if candidate in _VOCABULARY or candidate in _SLANG:
            return _SLANG.get(candidate, candidate)
    # Nothing we know: letters three or more times running become one ("soooo" -> "so").
    return _RUN.sub(lambda m: m.group(1) if len(m.group()) > 2 else m.group(), token)


def _shrunk(token: str) -> list[str]:
    """`token` with each run of a repeated letter cut to one or two, longest first."""
    parts = [(m.group(1), len(m.group())) for m in re.finditer(r"(.)\1*", token)]
    options: list[str] = [""]
    for char, count in parts:
        choices = [char] if count == 1 else [char * 2, char]
        options = [o + c for o in options for c in choices][:64]
    return sorted(options, key=len, reverse=True)


def _split_words(letters: str) -> str | None:
    """ "killmyself" -> "kill myself", from the screen's own words; None when it cannot."""
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - 12), end):
            head = best[start]
            word = letters[start:end]
            if head is None or word not in _VOCABULARY:
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = [*head, word]
    found = best[len(letters)]
    return " ".join(found) if found else None


# --- The patterns ---------------------------------------------------------------------------
# Written for categories of meaning, not for particular sentences. Each runs on normalised text
# and must start and end on a word boundary. Shorthands, expanded by _expand:

_MACROS = {
    "<es_suicide>": r"(?:io|ios|a|as|ar|arme|arse|arte|arnos|o|ó|aron|aria|aría|arias|arías|ando"
    r"|andome|ándome|ado|ada|aste|are|aré|ará|aremos|é)\b",
    # one word that is not a negation or a "but"
    "<w>": r"(?:(?!(?:not|never|no|dont|wont|wouldnt|cant|cannot|isnt|arent|nor|but|though"
    r"|although)\b)\w+)",
    "<end>": r"(?= \.|$)",  # the end of a sentence
    "<myself>": r"(?:my ?self|my ?selves)",
    "<pills>": r"(?:pills?|tablets|meds|medication|medications|medicine|painkillers|pain killers"
    r"|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|sleeping pills|sleeping tablets"
    r"|sleeping meds|antidepressants|insulin|sertraline|prozac|xanax|opioids|oxy|fentanyl"
    r"|benzos|lithium|codeine|tramadol|morphine|heroin|drugs)",
    "<loved>": r"(?:everyone|everybody|each of (?:them|my \w+)|all (?:of )?my \w+|my (?:family"
    r"|parents|mum|mom|mam|dad|mother|father|kids|children|son|daughter|wife|husband|partner"
    r"|girlfriend|boyfriend|gf|bf|sister|brother|siblings|friends|loved ones|best friend"
    r"|flatmates?|roommates?|grandparents|nan|gran|grandma|grandad))",
    "<when>": r"(?:tonight|today|tomorrow|this (?:weekend|week|evening|morning|afternoon|time)"
    r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|soon|right now|now|next week|after (?:this|the|my"
    r"|tonight|today)|before (?:the|my|morning|tomorrow|long))",
    # "kill myself" and the like: the acts of suicide, for intent and plan
    "<act>": r"(?:kill(?:ing)? ?<myself>|kms|kys|unaliv(?:e|ing)(?: <myself>)?|off(?:ing)? <myself>"
    r"|end(?:ing)? (?:my (?:own )?life|it all|my existence)|tak(?:e|ing) my (?:own )?life<life>"
    r"|commit(?:ting)? (?:suicide|sewerslide|die|sudoku)|hang(?:ing)? <myself>"
    r"|shoot(?:ing)? <myself>|overdose<od>|od<od>|rope(?: <myself>)?<rope>|ctb"
    r"|end(?:ing)? (?:it|things|everything)<endit>)",
    # after "overdose", "od": not a job title, not coffee
    "<od>": r"(?! (?:on|from) (?!(?:<w> ){0,3}?<pills>)| (?:role|consultant|team|position|job"
    r"|department"
    r"|function|specialist|manager|lead|practitioner|partner|work|skills|experience|background"
    r"|programme|program|side|interview|crisis|epidemic|deaths|rates?))",
    # after "rope": "rope in a friend"
    "<rope>": r"(?! (?:in|them|him|her|someone|people|my|a|the|it|you|us|off|together|into|me in))",
    # after "end it": ways of ending something other than a life
    "<endit>": r"(?! (?:with|w|here|there|for (?:today|now|the (?:day|night|week))|early|on (?:a"
    r"|good"
    r"|that|this)|politely|professionally|nicely|gracefully|amicably|properly|off|by (?:saying"
    r"|asking|thanking)|at|now with|soon with|between|before (?:it|the|things)|and (?:start"
    r"|move|begin|go|try)))",
    # after "take my life": "take my life back", "in a new direction"
    "<life>": r"(?! (?:back|in (?:a|my|another|new|different)|into|to the|seriously|forward|on"
    r"|elsewhere|more seriously|one day|day by day|step by step|with|as it|savings))",
    # after "live": "live in London", "live like that", "live paycheck to paycheck"
    "<live>": r"(?! (?:in|at|with|near|here|there|abroad|on|by|close|next|so far|far|paycheck"
    r"|like (?:that|them|him|her)|alone|off|under|up to|for (?:a|the)|at|early|every|each"
    r"|before|about|out|paycheque|pay cheque|hand to mouth|to see (?:the|my) (?:offer"
    r"|results)))",
    # after "not be here": "I'd rather not be here at this networking event"
    "<here>": r"(?! (?:at|for|in|on|when|with|today|tonight|this|right now|during|from|by))",
    # after "die": "die of embarrassment", "rather die than", "to die for"
    "<die>": r"(?! (?:of|from) (?:embarrassment|shame|laughter|laughing|boredom|cringe|curiosity"
    r"|envy|jealousy|anticipation|suspense|excitement|happiness|joy|exhaustion|hunger|old age)"
    r"| on (?:this|that|the|a|every) hill| for (?:(?:a|an|the|this|that) (?:job"
    r"|role|position|company|chance|spot|seat|ticket|place|offer|cause|team)|it|them|him|her)"
    r"| laughing| on (?:stage|the spot)"
    r"| in (?:that|the|this|a) (?:interview|meeting|call|room|moment)| a little| inside)",
    "<dead>": r"(?:die|be dead|not be here<here>|not exist|not be alive|not wake up|never wake up"
    r"|stop existing|cease to exist|be gone<here>|not be around<here>|not live<live>|disappear"
    r" forever)",
    "<better>": r"(?:better|happier|easier|relieved|lighter|calmer|simpler|fine|okay|ok|freer"
    r"|safer|richer|at peace)",
    # "if I was gone", "once I'm dead", "if I just didn't exist"
    "<gone>": r"(?:(?:if|when|once|after) (?:i|im|i am) (?:just |simply |only |finally |ever )?"
    r"(?:was gone|were gone|gone|was dead|were dead|dead|died|die|disappeared|disappear"
    r"|vanished|killed <myself>|kill <myself>|wasnt (?:here|around|alive|born|in the picture)"
    r"|werent (?:here|around|alive|born|in the picture)|was not (?:here|around|alive)"
    r"|were not (?:here|around|alive)|didnt exist|did not exist|never existed|was never born"
    r"|had never been born|never woke up|didnt wake up|did not wake up|no longer (?:here"
    r"|around|alive)|not (?:here|around|alive) anymore|out of the picture))",
}


def _expand(pattern: str) -> str:
    for _ in range(3):  # macros use macros
        for name, body in _MACROS.items():
            pattern = pattern.replace(name, body)
    return _whole_words(pattern)


_C, _K, _N = CrisisSignal.CRISIS, CrisisSignal.CHECK, CrisisSignal.NONE
_INT, _PLN, _PRE = Category.INTENT, Category.PLAN, Category.PREPARATORY
_MTH, _SH, _ACT = Category.METHOD, Category.SELF_HARM, Category.ACTIVE_THOUGHTS
_WSH, _BUR, _HOP, _FIN = (
    Category.WISH_TO_BE_DEAD,
    Category.BURDEN,
    Category.HOPELESSNESS,
    Category.FINALITY,
)

# Someone else's suicide ("my uncle died by suicide"): a gentle check, not the crisis reply; its
# words are then skipped, so the "suicide" in it does not count again.
_THIRD_PARTY = (
    r"(?:lost|lose) (?:my|a|our|his|her|their) (?:<w> ){0,2}?to suicide|(?:died|death|dying)"
    r" (?:by|of|from) suicide|(?:killed|kill) (?:himself|herself|themselves)|took (?:his|her"
    r"|their) own life|(?:he|she|they) (?:<w> )?(?:committed|attempted) suicide"
)

# (category, signal, pattern). At any one place in the text the first pattern that matches wins,
# so figures of speech (signal NONE: their words are skipped) come first, then CRISIS, then
# CHECK. A match right after a negation ("I'm not suicidal", "I would never hurt myself") counts
# for nothing; one after "I don't think I'm ..." only for a CHECK.
_RULES: tuple[tuple[Category | None, CrisisSignal, str], ...] = (
    # -- Figures of speech --------------------------------------------------------------------
    (None, _N, r"(?:rather|sooner) (?:just )?(?:die|be dead) than (?:<w> )?(?:go|work|use|wear|say"
     r"|eat"
     r"|apply|accept|take (?:that|this|the|a|their)|do (?:that|this|another|a|an|it)|be seen|admit"
     r"|ask|fail|sit|write|give|send|call|move|join|attend|listen|watch|spend|face (?:him|her|them"
     r"|that)|deal with (?:that|him|her|them|recruiters)|put|type|read|learn|touch|negotiate|beg"
     r"|network|smile|pretend|lose|miss)"),
    (None, _N, r"killing <myself> (?:trying|to (?:get|finish|make|prep|land)|prepping|preparing"
     r"|studying|grinding|working|revising|practi[sc]ing|over (?:here|there|this (?:job|role"
     r"|interview|application))|at (?:work|the gym)|with (?:work|overtime|hours|prep|applications"
     r"|leetcode)|for (?:this|that|the|a|my) (?:job|company|role|project|team|boss|deadline"
     r"|interview|offer|promotion|application|exam))"),
    (None, _N, r"(?:shot|shoot|shooting) <myself> in the (?:foot|feet|leg)"),
    (None, _N, r"(?:burn|burned|burnt|burning|burns) <myself> out"),
    (None, _N, r"(?:cut|cuts|cutting) <myself> (?:(?:some|a bit of|a little|more|any) )?slack"),
    (None, _N, r"(?:cut|cuts|cutting) <myself> (?:off|out|short|a break|a deal|loose|free|shaving"
     r"|on (?:a|the|some|paper|my)|by accident|accidentally|while)"),
    (None, _N, r"(?:beat|beating|beats) <myself> up"),
    (None, _N, r"(?:career|professional|social|political|corporate|financial|commercial"
     r"|reputational|brand|electoral|economic|business|linkedin) suicide"),
    (None, _N, r"suicid\w* (?:prevention|awareness|hotlines?|helplines?|lines?|squad|missions?"
     r"|runs?|drills?|doors?|bombers?|bombings?|charity|charities|research|statistics|rates?"
     r"|crisis lines?|forest|sprints?|first aid|intervention|postvention)"),
    (_ACT, _K, _THIRD_PARTY),
    (None, _N, r"(?:thinking about|thought about|think about) (?:dying|dyeing) (?:my|your|her|his"
     r"|their|it) (?:hair|beard|clothes|shirt)"),
    (None, _N, r"famous last words"),
    (None, _N, r"(?:last day|leaving (?:do|party|drinks|lunch)|farewell (?:party|drinks|lunch))"
     r"(?: <w>){0,10}? (?:said|saying|say) (?:my )?goodbyes?"),
    (None, _N, r"(?:even |not even )?(?:with )?a gun to my head (?:couldnt|could not|wouldnt"
     r"|would not|cant|cannot|i wouldnt|i would not|i couldnt|would make me|could make me)"
     r"|not even with a gun to my head"),
    # -- Intent -------------------------------------------------------------------------------
    (_INT, _C, r"(?:going to|about to|ready to|planning to|plan to|planning on|decided to"
     r"|made up my mind to|intend to|intending to|will|shall|determined to|choosing to"
     r"|chosen to|gonna|goin to|finally going to) (?:(?:just|finally|definitely|actually|really"
     r"|seriously|literally|probably|go|go and|try to|try and) )*<act>"),
    (_INT, _C, r"(?:ready|decided|deciding|made up my mind|determined|planning|plan|intend"
     r"|intending|choosing|chosen|chose|prepared) to (?:just )?die<die>"),
    (_INT, _C, r"(?:im|i am) (?:just |finally |really |definitely |actually )?ending (?:it|things"
     r"|everything|it all|my life)<endit>"),
    (_INT, _C, r"(?:kill(?:ing)? <myself>|end(?:ing)? (?:it|things|everything)<endit>"
     r"|end(?:ing)? my life|take my life<life>) (?:<w> ){0,2}?<when>"),
    (_INT, _C, r"(?:ill|i will|im going to|i am going to|going to|will) be dead (?:by|before"
     r"|tomorrow|tonight|soon|in a (?:week|few days|month)|this time next)(?! the time| they"
     r"| the end of| you| he| she| then| i (?:get|hear))"),
    (_INT, _C, r"(?:going to|want to|planning to|ready to|time to|decided to|might|will|should"
     r"|about to) ctb|ctb (?:date|plans?|method|soon|tonight|today|tomorrow)"),
    (_INT, _K, r"(?:going to|gonna|will|im|decided to|made up my mind to) do(?:ing)? it (?:<when>"
     r"|this time|for real|for sure"
     r"|ive decided|i have decided)|<when> (?:im|i am|i will|ill) (?:going to )?do(?:ing)? it"
     r"(?:<end>| ive decided| i have decided| for real)"),
    # -- Plan ---------------------------------------------------------------------------------
    (_PLN, _C, r"(?:a|my|the|have a|got a) (?:suicide|suicidal) plan|plan(?:s|ning|ned)? (?:for "
     r"|out )?"
     r"(?:my|a) (?:suicide|death|own death)"),
    (_PLN, _C, r"(?:a|my|the) plans? (?:to|for|of|is to) (?:<act>|die|dying|my death|suicide"
     r"|take (?:the|my|all(?: the| my)?) <pills>|jump)"),
    (_PLN, _C, r"(?:plan|plans|planning|planned|plotting|plotted|worked out|working out|figured out"
     r"|figuring out|know|knew|decided|deciding|thought through|researched|researching|looked up"
     r"|looking up|googled|googling|chosen|chose|picked|wrote down|writing down) (?:exactly "
     r"|already )?(?:how|when|where|the way|the best way|a way|ways|what) (?:i(?:d| would| will"
     r"|ll| am going to| im going to| could| can| want to| should)?|im going to|im|to) ?(?:(?:just"
     r"|finally|actually) )?(?:<act>|die|kill <myself>)"),
    (_PLN, _C, r"(?:painless|quick|quickest|easy|easiest|fast|fastest|best|peaceful|most peaceful"
     r"|least painful|surest|sure|reliable|effective|simplest|gentlest|cleanest) (?:ways?|methods?"
     r"|means) (?:to|of) (?:die|dying|kill (?:<myself>|your ?self|oneself)|killing (?:<myself>"
     r"|your ?self|oneself)|end (?:it|my life|things|your life)"
     r"|ending (?:it|my life)|commit suicide|suicide|go<end>|do it<end>|go out<end>)"),
    (_PLN, _C, r"(?:lethal|fatal|deadly|toxic|overdose) (?:dose|doses|amount|amounts|quantity"
     r"|quantities)(?! of (?:meetings|work|stress|coffee|caffeine|rejection|jargon))"),
    (_PLN, _C, r"how (?:many|much) (?:of )?(?:my |the |these "
     r"|those )?<pills>(?: <w>){0,3}? (?:would"
     r"|will|does|do|to|it would|it takes|would it|does it|will it|it will|is) (?:it )?(?:take"
     r"|kill|be fatal|be lethal|be enough|overdose|fatal|lethal|deadly)"),
    (_PLN, _C, r"which (?:bridge|building|roof|pills|method|rope|tree|train|way|gun|cliff|tablets)"
     r" (?:id|i would|im going to|i will|ill|to|i could|i can) (?:use|take|jump|do it|go)"),
    (_PLN, _C, r"(?:date|day|time|night|place|spot|way|method|bridge) (?:that |when |where )?"
     r"(?:im going to|i will|ill|i am going to|id|i would|to) (?:<act>|die)"),
    (_PLN, _C, r"(?:the means|what i need|everything i need|the stuff i need|the things i need)"
     r" to (?:end it|die|<act>)|the means to do it"),
    (_PLN, _C, r"how (?:many|much) (?:of )?(?:my |the |these "
     r"|those )?<pills>(?: <w>){0,4}? (?:would"
     r" it take|does it take|will it take|it would take|it takes|it will take|would kill|will kill"
     r"|i(?:d| would)? need|i have to take|i should take|to take"
     r"|would be (?:fatal|lethal|enough)|is (?:fatal|lethal|deadly|too much)|to (?:die|kill"
     r"|overdose"
     r"|od|be fatal|be lethal)|are (?:fatal|lethal))"),
    (_PLN, _C, r"(?:how|ways|way|best way|easiest way|quickest way) to (?:kill|end) (?:your ?self"
     r"|yourselves|oneself|one s self|your (?:own )?life|it all)|how long (?:does it|would it"
     r"|will it|it takes|it would take|it will take) (?:take )?to (?:die|bleed out|drown|suffocate"
     r"|hang)|(?:does|would|will) it hurt to (?:die|hang|drown|overdose|od|jump)"),
    # -- Preparatory behaviour ------------------------------------------------------------------
    (_PRE, _C, r"(?:suicide|goodbye) (?:note|notes|letter|letters|video|videos)(?! (?:to|for)"
     r" (?:the|my) (?:team|colleagues|coworkers|co workers|clients|manager|boss|company|office"
     r"|students|class|followers))"),
    (_PRE, _C, r"affairs in order"),
    (_PRE, _C, r"collect(?:ed|ing)? (?:up )?(?:(?:all|enough|lots of|loads of) )?(?:pills|tablets"
     r"|meds|painkillers|sleeping pills)(?! (?:from|at|for) )"),
    (_PRE, _C, r"(?:stockpil\w*|hoard\w*|sav(?:e|ed|ing) up|sav(?:e|ed|ing)"
     r"|stash\w*|gather\w*|hid|hidden|hide|hiding|squirrel\w* away|set(?:ting)? aside|put(?:ting)?"
     r" aside|buying up|stock(?:ing|ed)? up on) (?:up )?(?:on )?(?:all |some |enough |a lot of "
     r"|lots of |loads of )?(?:of )?(?:my |the |these |those |some |extra |her |his |mums "
     r"|moms |dads )?(?:own )?<pills>"),
    (_PRE, _C, r"<pills> (?:<w> ){0,3}?(?:hidden|stashed|stockpiled|saved up|hoarded|squirrell?ed"
     r" away|set aside)"),
    (_PRE, _C, r"(?:bought|buy|buying|got|ordered|order|ordering|purchased|picked up|have|ive got"
     r"|got myself) (?:a |some |the |myself a )?(?:rope|ropes)(?! (?:for|to|ladder|lights?"
     r"|course|bridge|swing|toy|access))"),
    (_PRE, _K, r"(?:made sure|making sure|make sure|arranged for|arranged|asked) (?:that )?(?:<w> )"
     r"{1,2}?(?:will |would |can |could )?(?:look after|take care of|take in|adopt|feed|have|take)"
     r" my (?:cats?|dogs?|pets?|kids|children)(?! (?:during|while|when|for the|on|at|tomorrow"
     r"|next|this))"),
    (_PRE, _K, r"(?:putting|put|getting|get|got|sorting|sort|sorted) (?:everything|things|my things"
     r"|it all|my stuff|all my (?:paperwork|papers|finances)) in order (?:for (?:<loved>|them)"
     r"|before i go|before im gone)|(?:wont|will not) (?:be needing|need) (?:it|them|this|these"
     r"|any of (?:it|this|them)) (?:anymore|any more|where im going)|(?:took|take|taking) out"
     r" (?:the |my |some |all )?<pills>|(?:held|hold|holding) (?:a|the|my|his|her) (?:gun|pistol"
     r"|rifle|knife|blade|razor) (?:to|against) my"),
    (_PRE, _K, r"who (?:gets|will get|will have|takes|will take|should get|should have|inherits"
     r"|can have) my (?:cats?|dogs?|pets?|stuff|things|guitar|belongings|savings|money|car"
     r"|possessions)|so (?:nobody|no one|noone|they|my family|my parents) (?:has|have|will have"
     r"|wont have|doesnt have|dont have) to(?:<end>| (?:do it|deal|clean|sort|worry))"),
    (_PRE, _K, r"so (?:my family|they|nobody|no one|my parents|my wife|my husband|my partner"
     r"|my kids"
     r"|my mum|my mom|my dad) (?:wont|will not|doesnt|dont|wouldnt|will never) have to (?:deal"
     r"|worry|pay|clean|sort|find|look)"),
    # -- Method -------------------------------------------------------------------------------
    (_MTH, _C, r"(?:jump|jumping|jumped|jumps|leap|leaping|leapt|(?:throw|throwing|threw|yeet"
     r"|yeeting|fling|launch|hurl) <myself>) (?:right |straight )?(?:off|from|out of|over)"
     r" (?:(?:a|the|my|this|that|some|an|our|their|the top of|top of|the roof of|the edge of) )?"
     r"(?:<w> ){0,2}?(?:bridge|building|roof|rooftop|balcony|cliff|tower|ledge|windows?|overpass"
     r"|car park|parking garage|parking structure|skyscraper|high rise|highrise|multi storey"
     r"|block of flats|top floor|dam|motorway bridge)(?! (?:for|if) (?:a|an|the|this|that|it"
     r"|them|you|him|her|they|i))"),
    (_MTH, _C, r"(?:jump|jumping|jumped|leap|leaping|step|stepping|stepped|walk|walking|walked"
     r"|run|running|lie down|lay down|lying down|laying down|dive|diving|(?:throw|throwing|threw"
     r"|yeet|yeeting|fling|hurl) <myself>) (?:out )?(?:in front of|under) (?:(?:a|the|an|some"
     r"|oncoming|a moving|the next|the oncoming) )?(?:<w> )?(?:train|trains|bus|buses|truck"
     r"|lorry|car|cars|tube|subway|traffic|tram|metro|underground)"),
    (_MTH, _C, r"(?:drive|driving|drove|crash|crashing|crashed|steer|steering|swerve|swerving)"
     r" (?:(?:my|the) car )?(?:into|off) (?:(?:a|the|some|oncoming|an) )?(?:wall|tree|bridge"
     r"|cliff|river|lake|lorry|truck|traffic|pillar|barrier|sea|oncoming traffic|road|motorway)"),
    (_MTH, _C, r"(?:lie|lay|lying|laying|stand|standing|sit|sitting) (?:down )?(?:on|across)"
     r" (?:the )?(?:train |railway |rail )?(?:tracks|railway|rails|line)"),
    (_MTH, _C, r"(?:take|taking|took|swallow|swallowing|swallowed|down|downing|downed|neck"
     r"|necking|necked|od|overdose|overdosing|overdosed|pop|popping) (?:on )?(?:all|every"
     r"|everything|the whole|a whole|whole|a bunch|a handful|handfuls|a lot|enough|loads|tons"
     r"|a ton|lots|all of|everything in|the rest|every last|the entire|an entire|a full|the full"
     r"|a fistful|fistfuls|\d+|twenty|thirty|forty|fifty|a hundred|hundred|a months|a weeks)"
     r"(?: of)?(?: (?:my|the|those|these|them|her|his|our|mums|moms|dads))?(?: <w>){0,2}?"
     r" (?:<pills>|pill|tablet|(?:bottle|packet|box|pack|blister|strip)s? of (?:<w> )?(?:<pills>"
     r"|pill)|prescription|stash)"),
    (_MTH, _C, r"(?:pills|tablets|meds)(?: <w>){0,8}? (?:taking|take|swallow|swallowing|down"
     r"|downing) (?:all|every one|the lot|them all)"),
    (_MTH, _C, r"(?:i|id|ill|im|ive|to|an|about|of|just|could|might|will|would|planning"
     r"|plan|thinking|thought|tried|try|trying|attempted|almost|nearly|should|deliberately"
     r"|maybe|considered|considering|intentional|intentionally) (?:<w> )?overdos(?:e|ed|es|ing)"
     r"<od>"),
    (_MTH, _C, r"(?:going to|want to|could|might|will|ill|id|about to|planning to|thinking about"
     r"|thought about|almost|nearly|tried to|should|just|to) od(?:ing|ed|d)?<od>"),
    (_MTH, _C, r"(?:hang|hanging|hung|hanged) <myself>|noose\w*|rope <myself>"),
    (_MTH, _C, r"(?:going to|want to|should|might|will|ill|about to|time to|ready to|planning to"
     r"|thinking about|thought about|think about|just|lets|let me|got to|need to|could|to) "
     r"rope(?:ing)?<rope>"),
    (_MTH, _C, r"(?:shoot|shooting|shot) <myself>|(?:gun|pistol|revolver|barrel|shotgun|rifle)"
     r" (?:to|in|against|into) (?:my )?(?:head|mouth|temple|chin)|bullets? (?:in|through|into)"
     r" (?:my )?(?:head|brain|skull|brains)|blow(?:ing)? my (?:own )?brains? out|eat(?:ing)?"
     r" (?:a |my )?(?:bullet|gun)"),
    (_MTH, _C, r"(?:slit|slitting|slash|slashing|slashed|cut|cutting|open|opening|opened|slice"
     r"|slicing) (?:open )?(?:my|both|the|both my) wrists?"),
    (_MTH, _C, r"(?:drown|drowning|poison|poisoning|gas|gassing|electrocute|electrocuting"
     r"|suffocate|suffocating|strangle|strangling|asphyxiate|smother) <myself>(?! (?:in|with)"
     r" (?:work|applications|coffee|debt|tasks|emails|paperwork|caffeine|prep|admin))"
     r"|set(?:ting)? <myself> (?:on fire|alight)|sodium nitrite"),
    (_MTH, _C, r"(?:train |railway |rail )?tracks (?:<w> ){0,12}?(?:lie|lay|lying|laying|jump"
     r"|jumping|step|stepping|walk|walking|stand|standing) (?:down )?(?:on|onto|in front|into"
     r"|off)"),
    (_MTH, _C, r"(?:take|taking|took|swallow|swallowing|swallowed|down|downing|neck|necking)"
     r" (?:a|the|my|\d+|two|three|four|five|ten|several) (?:whole )?(?:bottles?|packets?|boxes?"
     r"|packs?|blister packs?|strips?|tubs?) of (?:<w> )?(?:<pills>|pills?)"),
    (_MTH, _C, r"(?:step|stepping|stepped|fall|falling|fell|let <myself> fall|let go|letting go)"
     r" (?:off|from) (?:(?:the|a|my|this|that|the top of|the edge of) )?(?:<w> )?(?:ledge|roof"
     r"|rooftop|bridge|balcony|building|window|cliff|tower|top floor|car park|overpass)"
     r"|(?:fall|falling|jump|jumping|plunge|plunging|leap|leaping) to my death"),
    (_MTH, _C, r"(?:run|running|walk|walking|step|stepping|jump|jumping) (?:out )?into (?:the )?"
     r"(?:oncoming )?(?:traffic|motorway|highway|freeway|path of (?:a|the) (?:train|bus|truck"
     r"|lorry|car))"),
    (_MTH, _C, r"(?:drink|drinking|drank|swallow|swallowing) (?:some |the |a bottle of )?(?:bleach"
     r"|antifreeze|poison|weedkiller|rat poison)|(?:slit|slitting|cut|cutting) my (?:own )?throat"
     r"|stab(?:bing)? <myself>|(?:rope|noose|belt|cord|cable|scarf|tie) (?:<w> ){0,2}?(?:around"
     r"|round) my neck"),
    (_MTH, _C, r"(?:thinking about|thought about|think about|want to|could|should|might|going to"
     r"|tempted to) (?:just )?(?:crash|crashing|wreck|wrecking) (?:my|the) car|(?:crash|crashing"
     r"|crashed|wreck|wrecking) (?:my|the) car (?:on purpose|deliberately)|(?:use|using|turn"
     r"|turning|point|pointing) (?:it|the gun|a gun|them|the knife|a knife) on <myself>"
     r"|(?:took|taken|swallowed|had|take|taking) too many (?:<pills>|pills?)"),
    (_MTH, _C, r"(?:stood|standing|sat|sitting|went|climbed) (?:on|to|at|up|onto) (?:the |a |my )?"
     r"(?:edge of (?:the )?)?(?:bridge|ledge|roof|rooftop|balcony|cliff|tracks|platform)(?: <w>)"
     r"{0,3}? (?:but|and) (?:changed my mind|couldnt|didnt|stepped back|came home|backed out"
     r"|got scared|chickened out)"),
    # -- Self-harm ----------------------------------------------------------------------------
    (_SH, _C, r"self ?harm\w*|self (?:injur\w*|mutilat\w*)|selfharm\w*"),
    (_SH, _C, r"sh (?:urges?|scars?|again|relapse|wounds?|cuts?|marks|tools?|kit|blades?|habit)"
     r"|(?:relaps\w*|urges? to|want to|need to|started|start|been doing|did|do|clean from"
     r"|clean of|free from|days? clean|weeks? clean|months? clean|years? clean|stop|stopped"
     r"|quit|back to|go back to|went back to|resist|resisting) (?:on |from |of |with |doing )?sh"),
    (_SH, _C, r"(?:cut|cutting|cuts|slice|slicing|sliced|slash|slashed|slashing|carve|carved"
     r"|carving|burn|burned|burnt|burning|burns|harm|harming|harmed|injure|injured|injuring"
     r"|mutilate|mutilating) <myself>(?! (?:with (?:a|the) (?:knife|kettle|pan|iron|oven|stove)"
     r" (?:while|cooking|making|by accident)|cooking|in the kitchen|making))"),
    (_SH, _C, r"(?:hurt|hurting|hurts) <myself>(?! (?:at|playing|running|lifting|in (?:the|a)"
     r" (?:gym|game|match|fall|accident|crash)|while (?:running|lifting|playing|cycling|skiing"
     r"|working out|training|exercising)|when i (?:fell|slipped|tripped|was (?:running|lifting"
     r"|playing|cycling|skiing))|falling|doing (?:squats|deadlifts|sport|sports)|skiing|cycling"
     r"|training|working out|on (?:the|a) (?:stairs|bike|ice)|by accident|accidentally))"),
    (_SH, _C, r"(?:been|started|start|starting|keep|kept|back to|went back to|go back to"
     r"|going back to|stop|stopped|quit|quitting|urges? to|want to|need to|tempted to"
     r"|relapsed|relapse|relapsing|resist|resisting|resisted|thinking about|thought about"
     r"|cant stop|couldnt stop|addicted to|habit of) (?:<w> )?(?:cutting|burning)"
     r"(?! (?:<myself> out|corners|back|costs|down|edge|the|my (?:hair|losses|hours|cv|resume"
     r"|budget|spending|expenses"
     r"|coffee)|ties|it close|class|classes|through|out|in|a|an|it|bridges|calories|carbs|sugar"
     r"|gluten|meat|alcohol|caffeine|coffee|onions|wood|paper|hair|fabric|grass|cords?|them"
     r"|him|her|people|losses|spending|expenses|videos|films?|keys|the midnight oil|through"
     r"|cash|money|savings))"),
    (_SH, _C, r"cutting (?:again|my (?:arms?|legs?|wrists?|thighs?|skin|stomach|hips?|body|self))"
     r"|(?:cuts|scars|burns|wounds|marks|bruises) on my (?:arms?|legs?|wrists?|thighs?|skin"
     r"|hips?|stomach|body)"),
    (_SH, _C, r"(?:cut|cutting|slashed|slash|slashing|carved|carve|carving|sliced|slice|slicing"
     r"|burned|burnt|burn|burning) (?:into "
     r"|up |open )?(?:my|both my) (?:arms?|legs?|thighs?|wrists?|skin|hips?|stomach|body|chest"
     r"|forearms?)"),
    (_SH, _C, r"(?:i|ive|i have|just|relapsed and|and|then|had to) (?:<w> )?cut (?:again|tonight"
     r"|last night|yesterday|today|this morning|earlier|deeper|deep)(?!\w)(?! (?:the|my|a|an|it"
     r"|them|costs|back|down|out|off|corners|prices|hours|staff|jobs|roles)\b)|(?:razor|blade"
     r"|blades|knife|lighter|cigarettes?) (?:to|on|against|into|across)"
     r" my (?:arms?|skin|wrists?|legs?|thighs?|stomach|hips?)"),
    (_SH, _C, r"(?:cutting(?! (?:out|back|down|corners|costs)\b)|burning(?! (?:out|through)\b)"
     r"|hurting <myself>|harming <myself>|self harm\w*|sh) (?:<w> ){0,3}?"
     r"(?:helps|help|helped|the only|calms|makes me feel|is how i cope|my way|is my way)"),
    (_SH, _C, r"(?:carve|carved|carving|cut|cutting|scratch|scratched|scratching|etch|etched|burn"
     r"|burned|burnt|burning)(?: <w>){1,2}? (?:into|on|in) my (?:skin|arms?|legs?|thighs?|wrists?"
     r"|stomach|hips?|body)|(?:made|make|makes|making) <myself> bleed"),
    (_SH, _K, r"(?:slammed|slam|slamming|hit|hitting|punched|punching|burned|burnt|burning|cut"
     r"|cutting|scratched|scratching|bit|biting|broke|breaking|bruised|hurt|hurting|injured"
     r"|starved|banged|banging) (?:my (?:hands?|arms?|head|legs?|fingers?|wrists?|skin|face|body"
     r"|knuckles|fist)|<myself>)(?: <w>){0,4}? (?:on purpose|deliberately|intentionally)"),
    # -- Active thoughts ------------------------------------------------------------------------
    (_ACT, _C, r"kill(?:ing|ed|s)? ?<myself>|offing <myself>"),
    (_ACT, _C, r"(?<!\d )(?<!few )(?<!many )(?<!couple )(?<!hundred )(?<!thousand )(?<!several )"
     r"(?<!the )(?<!a )(?<!more )(?<!extra )kms"),
    (_ACT, _C, r"(?:should|shall|could|might|going to|want to|to|got to|need to|ready to"
     r"|about to|time to|i|ill|id|just|let me|lets|will|may as well|might as well) (?:just )?kys"),
    # Spanish forms ("suicidio", "suicidarme") are the Spanish rules' own (coaching/safety_es.py),
    # which know "no" and "suicidio profesional"; here they would count even after a negation.
    (_ACT, _C, r"(?:(?:suicid|sucid|suisid)(?!<es_suicide>)\w*|sewerslide|sewer slide"
     r"|sewer sliding|suicde)"),
    (_ACT, _C, r"unaliv\w*|commit(?:ting|ted|s)? (?:die|sudoku|not alive|toaster bath|unalive"
     r"|seppuku)|self ?delet(?:e|ing|ion)(?! (?:my|your|the|an?|their|this|that|button|option"
     r"|feature|function|messages?|posts?|account))"),
    (_ACT, _C, r"(?:to|going to|want to|just|should|could|might|will|ill|id|im|planning to"
     r"|thinking about|thought about|think about|about to|ready to|go) off <myself>"),
    (_ACT, _C, r"end(?:ing|ed)? (?:my (?:own )?life|it all|my existence|my own existence"
     r"|my suffering|everything)<endit>"),
    (_ACT, _C, r"(?:tak(?:e|ing)|took|taken) my (?:own )?life<life>"),
    (_ACT, _C, r"(?:want|wanna|wanted|wanting|going|planning|plan|thinking about|thought about"
     r"|think about|thoughts about|thoughts of|thinking of|thought of|think of|considering"
     r"|considered|contemplating|contemplated|pondering|mulling over|decided|deciding|ready"
     r"|about|should|could|would|might|just|close|closer"
     r"|tempted|urge|urges|need|needs|gonna|will|ill|to|of|idea of|the thought of) (?:<w> )?"
     r"end(?:ing)? (?:it|things|everything)<endit>"),
    (_ACT, _C, r"(?:thinking|thought|think|thoughts|dreaming|dream|dreamt|fantasi[sz]ing"
     r"|fantasi[sz]e|obsessing|obsessed|considering|contemplating|contemplate) (?:about |of |on )?"
     r"(?:<w> )?(?:dying|not being (?:here|alive|around)|unaliving|not existing|not waking up"
     r"|how to die|ways to die|ending my life|taking my (?:own )?life)"),
    (_ACT, _C, r"(?:should|might|may) (?:as well )?(?:just )?die<die>(?= \.|$| already"
     r"| now| honestly| tbh| fr| lol)"),
    (_ACT, _K, r"(?:do|doing|did) something (?:stupid|drastic|permanent|i (?:cant|cannot|can not)"
     r" (?:take back|undo)|i will regret|i might regret)(?! like)"),
    (_ACT, _K, r"death (?:doesnt|does not|no longer) (?:scare|frighten) me"),
    # -- Burden -------------------------------------------------------------------------------
    (_BUR, _C, r"(?:better|happier|easier|relieved|lighter|calmer|simpler|freer|safer|richer)"
     r"(?: off)?(?: for (?:<w> ){1,2}?)?(?: <w>){0,2}? (?:without (?:(?:a|an) (?:<w> ){1,2}?"
     r"|someone )like me|without me(?: around| in (?:it|the"
     r" picture|their lives|this world))?(?! (?:on|at|in|there|being|having|asking|interrupting)"
     r" )|with me gone|<gone>)"),
    (_BUR, _C, r"(?:no ?one|nobody|not (?:a )?single (?:person|soul)|not one person|none of them"
     r"|anyone)(?: <w>){0,2}? (?:would|will|d|wd|even|really|actually|ever|is going to|going to"
     r"|gonna|is gonna)(?: even| ever| really| actually| probably| honestly| truly)* (?:miss me"
     r"|mourn me|mourn|grieve (?:for )?me|cry (?:for|over|about) me|come to my funeral)"),
    (_BUR, _C, r"(?:no ?one|nobody|not (?:a )?single (?:person|soul)|not one person|none of them"
     r"|anyone)(?: <w>){0,2}? (?:would|will|d|wd|even|really|actually|ever|is going to|going to"
     r"|gonna)(?: even| ever| really| actually| probably| honestly| truly)* (?:notice|care|mind"
     r"|know|realise|realize|be sad|be upset|cry|bat an eye|blink)(?: <w>){0,2}? (?:<gone>"
     r"|(?:that )?(?:im|i am|i was|i had) (?:gone|dead|missing))"),
    (_BUR, _C, r"<gone>(?: <w>){0,4}? (?:no ?one|nobody|anyone|who)(?: <w>)? (?:would |will |d "
     r"|wd |even |really |actually )?(?:even |ever |really |actually |probably )*(?:notice|care"
     r"|miss me|mourn|cry|be sad|bat an eye)"),
    (_BUR, _C, r"doing (?:everyone|everybody|them|the world|my family|people|you all|all of them"
     r"|my parents) a (?:favour|favor) (?:by |if i )(?:<w> ){0,2}?(?:disappearing|dying|died"
     r"|being dead|was dead|were dead|killing <myself>|not existing|not being (?:here|around"
     r"|alive)|disappeared|was gone|were gone|wasnt (?:here|around|alive)|ending it|end it"
     r"|kill <myself>|dead)"),
    (_BUR, _C, r"better off with (?:the |my )?(?:life )?(?:insurance|payout|insurance money)"
     r"|(?:wont|will not|not going to|not gonna) be (?:a problem|a burden|your problem|anyones"
     r" problem|a bother|bothering (?:you|anyone)) (?:for )?(?:much )?(?:longer|for long|anymore"
     r"|any more)"),
    (_BUR, _K, r"(?:ruin|ruining|ruined|destroy|destroying|make|making) (?:everyones|everybodys"
     r"|my familys|my parents|my wifes|my husbands|my partners|all their|their) li(?:fe|ves)"
     r"|(?:world|nobody|no one|noone|anyone) (?:<w> )?needs? me(?:<end>| anymore| here| around)"),
    # -- Wish to be dead ------------------------------------------------------------------------
    (_WSH, _C, r"(?:(?:want|wants|wanted|wanting|wish|wishing|wished|ready|deserve|longing|long"
     r"|need|needing|prefer|like|would love) to|rather|prefer) (?:(?:just|really|honestly|simply"
     r"|actually"
     r"|so|lowkey|literally|kinda|kind of|sort of|fucking|truly|seriously|genuinely) )*(?:die"
     r"|be dead|not be alive|not be here<here>|not exist|stop existing|cease to exist"
     r"|cease existing"
     r"|not wake up|never wake up|vanish forever|fall asleep forever|sleep forever|not be around"
     r"<here>|not be on this earth|not live<live>|no longer exist|no longer be here|no longer be"
     r" alive|stop being alive|stop living<live>|be gone<here>)<die>"),
    (_WSH, _C, r"(?:hope|hoping|pray|praying|wish|wishing)(?: <w>){0,3}? (?:that )?(?:i|id)"
     r" (?:(?:just|would"
     r"|could|will|simply|finally) )*(?:die|dies|pass away|dont wake up|dont make it|never wake"
     r" up|not wake up|wont wake up|didnt wake up|wouldnt wake up|never woke up|get hit by"
     r"|got hit by|was dead|were dead|had died|die in my sleep|drop dead)"),
    (_WSH, _C, r"wish(?:ed|ing)? (?:that )?(?:i|id) (?:had )?(?:(?:was|were|had been|been) )?"
     r"(?:dead|never (?:been )?born|not (?:been )?born|never existed|didnt exist|did not exist"
     r"|hadnt (?:been born|existed)|had not (?:been born|existed)"
     r"|never (?:here|around|alive)"
     r"|wasnt (?:born|here|alive|around)|werent (?:born|here|alive|around)|could (?:just )?(?:die"
     r"|stop existing|cease to exist|not exist|stop being alive|fall asleep and (?:not|never)"
     r" wake up|go to sleep and (?:not|never) wake up|sleep forever|not wake up|never wake up"
     r"|stop living|<dead>)|would (?:just )?(?:die|not wake up|never wake up))"),
    (_WSH, _C, r"(?:go to sleep|fall asleep|sleep|go to bed|going to bed|went to bed|close my"
     r" eyes)(?: <w>){0,3}? (?:(?:and|n|then|hoping|hope|and hope|and pray|praying) )?(?:i )?"
     r"(?:never|not|dont|wont|didnt) (?:ever )?wake (?:up|back up)(?! until| till| til| in time"
     r"| on time| early| for)"),
    (_WSH, _C, r"(?:dont|do not|no longer|not|never|dont really|dont even) (?:really "
     r"|even )?(?:want"
     r"|wish) to (?:live|be alive|exist|be here anymore|be here any ?more|be here any longer"
     r"|be around anymore|be around any ?more|wake up|keep living|go on living|be on this earth"
     r"|continue living|stay alive|be here (?:at all|on this earth|in this world))<live>"),
    (_WSH, _C, r"(?:not sure|unsure|dont know|do not know|no idea|dont think|not certain"
     r"|questioning)(?: if| whether)? (?:i )?(?:(?:still|even|really|truly) )*(?:want to|can"
     r"|should|will|am going to|want) (?:to )?(?:live|be alive|keep living|stay alive|exist"
     r"|be here|continue living|go on living|wake up tomorrow)<live>"),
    (_WSH, _C, r"(?:dont|do not|didnt|couldnt|wouldnt|would not|will not|wont|no longer|hardly)"
     r" (?:even )?(?:really )?care"
     r" (?:if|whether) (?:i )?(?:live|die|wake up|survive|make it|get hit|am alive|im alive"
     r"|stay alive|dont wake up|drop dead)"),
    (_WSH, _C, r"(?:tired|sick|exhausted|weary|sick and tired) of (?:being alive|living|existing"
     r"|life|breathing|being on this earth|this life)<live>"),
    (_WSH, _C, r"(?:death|dying|being dead|not existing|not being here|eternal sleep) (?:<w> )?"
     r"(?:would be|sounds|seems|feels|looks|is|would feel)(?: like)?(?: (?:such|a|an|so|really"
     r"|pretty|kind of|kinda))* (?:relief|better|peaceful|nice|easier|welcome|the only|the answer"
     r"|good|appealing|tempting|freedom|escape|calming|comforting|like home|a release|inviting"
     r"|attractive|easy)"),
    (_WSH, _C, r"(?:better off|happier|better|easier) (?:dead|not existing|not being alive"
     r"|not being"
     r" here|if i didnt exist)|<better> <gone>"),
    (_WSH, _C, r"(?:wouldnt|would not|dont|do not) mind (?:if i )?(?:dying|died|die|being dead"
     r"|not waking up|not being here|not existing|didnt wake up|never woke up|did not wake up"
     r"|getting hit|got hit|if something happened to me|never waking up)"),
    (_WSH, _C, r"(?:want|wanna|wanted|wish|wishing|wished|like|could|just|need|longing"
     r"|would love) (?:to |i could |i would |if i could )?(?:(?:just|really|simply|honestly"
     r"|completely|literally) )*(?:disappear|vanish|evaporate|fade away|cease)(?: (?:forever"
     r"|for good|permanently|completely|off the face of|from (?:existence|the world|this world"
     r"|this earth|earth|everyones lives)|and never (?:come back|return|be found|be seen again)"
     r"|without a trace|into nothing|and not come back))"),
    (_WSH, _C, r"(?:be|am|im|feel|be totally|be completely) (?:ok|okay|fine|alright|happy|at peace"
     r"|content|good) (?:with )?(?:dying|death|being dead|not waking up|not existing|if i died)"
     r"|welcome (?:death|dying|the end)|let me (?:just )?die|(?:want|wish|need) my life to (?:be"
     r" over|end|stop)|wish my life (?:was|were|would be) over"),
    (_WSH, _C, r"(?:want|wanna|wish|wishing|like|ready|need|longing|would love) (?:to |i could )?"
     r"(?:just )?(?:go to |fall )?(?:sleep|asleep) forever|eternal sleep"),
    (_WSH, _C, r"(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:something|someone|a car"
     r"|a bus|an accident|a truck|a lorry)(?: <w>){0,3}? (?:happens?|happened|will happen"
     r"|would happen|hits?|kills?) (?:to )?me"),
    (_WSH, _C, r"if i died (?:<w> ){0,3}?(?:i )?(?:wouldnt|would not|dont|do not|couldnt) (?:mind"
     r"|care)"),
    (_WSH, _C, r"(?:dont|do not|no longer|dont even) (?:really |even )?(?:want"
     r"|wanna) to be (?:on this"
     r" (?:planet|earth)|in this world|on earth)"),
    (_WSH, _C, r"(?:easier|better|simpler|a relief|nicer|best|kinder|more peaceful) (?:for "
     r"(?:everyone|everybody|me|them) )?(?:to|if i could|if i) (?:just |simply )?<dead>"),
    (_WSH, _C, r"(?:dying|death|being dead|not existing|not waking up|not being alive) (?:<w> )?"
     r"(?:doesnt|does not|wouldnt|would not|isnt|is not|dont|do not|aint) (?:sound|seem|feel|look"
     r"|be)? ?(?:so |that |too |as |all that )?(?:bad|scary|terrible|awful|frightening)"
     r"|(?:give anything|do anything|pay anything|give everything) to (?:just )?<dead>"
     r"|(?:sleep|asleep) and (?:stay asleep|never wake|not wake|not come back)|stay asleep"
     r" (?:forever|for good)|if i (?:dont|didnt|never|do not|did not) wake up(?: <w>){0,3}?"
     r" (?:thats|that is|that would be|itd be|it would be|id be|i would be|i am|im|that s)"
     r" (?:fine|ok|okay|alright|good|a relief)"),
    # -- Hopelessness ---------------------------------------------------------------------------
    (_HOP, _C, r"no (?:<w> )?(?:reason|point|purpose|sense|use) (?:<w> ){0,2}?(?:to|in|for|of)"
     r" (?:trying to )?(?:live|living|life|my life|my existence|be alive|being alive|stay alive"
     r"|staying alive|exist"
     r"|existing|go on|going on|carry on|carrying on|keep living|continue living|continuing to"
     r" live|wake up|waking up|being here|be here|keep on living|go on living)<live>"),
    (_HOP, _C, r"nothing (?:left )?(?:to live for|worth living for|to stay alive for|to stay for"
     r"|keeping me alive|keeping me here|left to live for|to wake up for|to exist for)"),
    (_HOP, _C, r"(?:life|living|my life|existence|being alive|existing|it all)(?: <w>){0,2}?"
     r" (?:isnt|is not|not|aint|no longer|never|wasnt|hasnt been) (?:really |even )?worth"
     r" (?:living|it anymore|it any more|continuing|the pain|the effort)"),
    (_HOP, _C, r"(?:whats|what is|wats|wuts|what even is) (?:even |really )?(?:the )?(?:point"
     r"|purpose|use|reason) (?:of|in|to|for) (?:even )?(?:living|life|being alive|existing"
     r"|going on|carrying on|waking up|being here|staying alive|keep living|continuing|live"
     r"|me (?:being here|existing|being alive|living)|my life|my existence|being me)<live>"),
    (_HOP, _C, r"(?:dont|do not|cant|cannot|no longer) see (?:the|any|much|a) (?:point|reason"
     r"|purpose) (?:of|in|to|for) (?:living|life|being alive|going on|carrying on|existing"
     r"|staying alive|keep living|waking up|being here|go on|carry on|keep going|continue|live"
     r"|be alive|exist|stay alive)<live>"),
    (_HOP, _C, r"(?:cant|can not|cannot|unable to|dont want to|do not want to|not able to"
     r"|no longer able to) (?:go on|keep|carry on|continue) (?:on )?living<live>"),
    (_HOP, _C, r"(?:give|giving|given|gave) up on (?:life|living|being alive|existing|this life"
     r"|my life|the world)<live>"),
    (_HOP, _C, r"done (?:with )?(?:life|living|being alive|existing|this life|this world)<live>"),
    (_HOP, _C, r"why (?:(?:should|would|do|even|bother|am) )*(?:i )?(?:even )?(?:keep living|live"
     r"|bother living|stay alive|be alive|exist|keep existing|bother existing|bother staying"
     r" alive|keep breathing|bother waking up|still be here|still be alive|even live)<live>"),
    (_HOP, _C, r"(?:nothing|(?:dont|do not|no longer|dont really) have (?:anything|much|a thing"
     r"|anyone|any reason|a reason)|no reason|not much|little) (?:left )?(?:to live for|worth"
     r" living for|to stay alive for|to keep me (?:here|alive|going)|to wake up for|to exist for)"),
    (_HOP, _C, r"(?:lost|losing|lose|no|zero|dont have|do not have) (?:the |my "
     r"|any )?will to (?:live"
     r"|go on|carry on|keep going|exist|be alive)"),
    # -- Finality -----------------------------------------------------------------------------
    (_FIN, _C, r"(?:wont|will not|not going to|not gonna|wouldnt|may not|might not|will no longer)"
     r" be (?:alive|breathing|on this earth|in this world|of this world)"),
    (_FIN, _C, r"(?:wont|will not|not going to|not gonna|aint going to|will no longer) be"
     r" (?:around|here|with you|with you all|with us) (?:<w> )?(?:much longer|for (?:much )?longer"
     r"|for long|any longer|to (?:see|read|hear|get|answer|open|know))"),
    (_FIN, _C, r"(?:by the time|when|once|after) (?:you|anyone|someone|somebody|they|people"
     r"|my (?:family|parents|mum|mom|dad)|the police|you guys) (?:<w> )?(?:read|reads|see|sees"
     r"|find|finds|get|gets|hear|hears|open|opens) (?:this|these|my message|it|me)(?: <w>){0,3}?"
     r" (?:ill|i will|i|im|i will have|ill have|i would|id|i should) (?:(?:already|probably"
     r"|likely) )?(?:be )?(?:gone|dead|no longer (?:here|alive|around)|not (?:be )?(?:here|alive"
     r"|around)|have gone|have left|left this world|be at peace|at peace)"),
    (_FIN, _C, r"goodbye (?:cruel )?world|farewell (?:cruel )?world|goodbye cruel"),
    (_FIN, _C, r"last (?:day|night|week|hours|moments|breath|sunrise|sunset) (?:of my life|on earth"
     r"|alive|on this earth)(?! as| at| in| before)"),
    # -- Gentle checks: ambiguous on their own ----------------------------------------------------
    (_INT, _K, r"(?:going|go) through with it(?: (?:<when>|this time))"),
    (_INT, _K, r"(?:going to|gonna|will|ill) jump(?: <when>)?<end>|(?:act|acting|acted) on (?:them"
     r"|it|these thoughts|those thoughts|the thoughts|my thoughts|the urges?|these urges?"
     r"|those urges?|my urges?)"),
    (_PLN, _K, r"(?:worked out|figured out|know|knew|decided|planned|thought through|thought about"
     r"|researched|written down|wrote down|write down|planned out|mapped out) (?:exactly "
     r"|already )?(?:how|when|where) (?:i(?:d| would| will|ll| am going to"
     r"| im going to)?|im going to|to) (?:do it|go|end it)(?: and (?:when|where|how))?(?:<end>| and"
     r"| so| now| already)"),
    (_PLN, _K, r"(?:i|ive|i have|ive got|i got|ive made|i made|i now have)(?: (?:already|finally"
     r"|now|got))? (?:a|my|the) plan<end>"),
    (_PLN, _K, r"(?:i|ive|i have|ive already|i already|already)(?: <w>)? (?:picked|chosen|chose|set"
     r"|decided on|settled on|got) (?:a|the) (?:date|day|time|place|spot|method|location)(?! for"
     r"| to| with| of| off| at| in| on)"),
    (_PLN, _K, r"(?:the|a) (?:place|time|date|day|method|location) and (?:the|a) (?:time|place|date"
     r"|day|method|location)"),
    (_PLN, _K, r"(?:date|day|time|night|place|spot|way|method) (?:that |when |where )?"
     r"(?:im going to|i will|ill|i am going to|id|i would) (?:do it|go)<end>"),
    (_PRE, _K, r"(?:wrote|written|write|writing|drafted|drafting|draft|left|leaving|leave|recorded"
     r"|recording|prepared|preparing|finished) (?:(?:a|my|the|some|all the) )?(?:(?:last|final"
     r"|farewell|goodbye) )?(?:note|notes|letter|letters|video|videos|message|messages)"
     r"(?: <w>){0,2}? (?:to|for) <loved>"),
    (_PRE, _K, r"(?:left|leaving|leave|wrote|written|write) (?:a|my) (?:(?:last|final) )?(?:note"
     r"|letter)<end>|(?:last|final) (?:note|notes|letter|letters)(?! (?:to|for|from|of) (?:the|a"
     r"|an|this|that|their|his|her))"),
    (_PRE, _K, r"(?:giving|give|gave|given|handing|handed|gifting|gifted) (?:away )?(?:(?:all|most"
     r"|some|the rest) )?(?:of )?(?:my|all my) (?:stuff|things|belongings|possessions|pets?|cats?"
     r"|dogs?|guitar|clothes|plants|games|collection|valuables|savings|jewellery|jewelry"
     r"|furniture)|giv(?:e|ing|en) away everything|(?:rehome|re home|find (?:a )?(?:new )?homes?"
     r" for) my (?:cats?|dogs?|pets?)"),
    (_PRE, _K, r"(?:wrote|written|write|writing|made|making|make|updated|updating|update|sorted"
     r"|sorting|drafted|drafting|redid|redo|changed|changing) (?:out )?(?:my|a) (?:last )?(?:will"
     r"|testament)(?! (?:to|be|not|have))"),
    (_PRE, _K, r"(?:saying|said|say|been saying|started saying) (?:(?:my|our|all my|all of my) )?"
     r"goodbyes(?! (?:to|at) (?:the|my) (?:team|office|colleagues|coworkers|co workers|clients"
     r"|company|job|manager|boss|students|class))|(?:saying|said|say) goodbye (?:(?:quietly"
     r"|secretly) )?to (?:<loved>|people)(?! (?:at|from) (?:work|the office|the company))"),
    (_PRE, _K, r"(?:know|knows|understand|understands|realise|realize) (?:that )?(?:it|this)"
     r" (?:wasnt|was not|isnt|is not) (?:their|your|his|her|anyones|my (?:family|parents|mum"
     r"|mom|dad)s?) fault"),
    (_PRE, _K, r"(?:i have|ive got|i got|i own|i keep|theres) (?:a|the) (?:gun|pistol|rifle"
     r"|shotgun|firearm)(?: in the house| at home| here)?<end>"),
    (_PRE, _K, r"(?:bought|buy|buying|got|get|getting) (?:a |my )?(?:gun|firearm|pistol|rifle"
     r"|shotgun)|obtained (?:a |my )?(?:gun|firearm|pistol|rifle|shotgun)|(?:gun|guns|firearm"
     r"|pistol|rifle|shotgun) (?:in|at) (?:the|my|our) (?:house"
     r"|home|flat|apartment|drawer|closet|car|room|garage|safe)"),
    (_MTH, _K, r"(?:looked|looking|look|staring|stared|stare|thinking|thought|think) (?:at|about)"
     r" (?:the|my|a|that) (?:rope|pills|gun|razor|razors|blade|blades|bridge|ledge|tracks"
     r"|train tracks|balcony|knife|knives|bottle of pills)(?! (?:question|role|team|job|interview"
     r"|analogy|problem|puzzle|project|position|case|exercise))"),
    (_MTH, _K, r"walk(?:ing)? into the (?:sea|ocean|river|lake|water|waves)|carbon monoxide"
     r"|exit bag|charcoal (?:burning|grill in|and tape)|helium (?:tank|hood)"),
    (_SH, _K, r"(?:hit|hitting|punch|punching|punched|scratch|scratching|scratched|bite|biting"
     r"|starve|starving|starved|bruise|bruising) <myself>(?! (?:in the (?:face|head|eye) with"
     r"|on the|by accident|accidentally|up|awake))"),
    (_SH, _K, r"(?:scratch|scratched|scratching) (?:into |up |open )?(?:my|both my) (?:arms?|legs?"
     r"|thighs?|wrists?|skin|hips?|stomach|body|chest|forearms?)"),
    (_SH, _K, r"(?:fresh|new|deep|open) (?:cuts|wounds)(?! (?:to|in|at|for|from|of|across) )"),
    (_SH, _K, r"until (?:it|they|i|my (?:<w> )?(?:skin|hand|hands|knuckles|arm|arms|leg|legs"
     r"|fingers|lip|lips)|the skin) (?:bleeds?|bled|bleeding|break|breaks|broke)"),
    (_SH, _K, r"(?:deserve|need|want|like|wish i could|longing) to (?:feel )?(?:hurt|pain|suffer"
     r"|bleed|be punished|be in pain)(?:<end>| (?:so|again|physically|more|myself|tonight|now"
     r"|right now))"),
    (_SH, _K, r"urges? to (?:cut|burn|hurt <myself>|bleed)(?! (?:costs?|back|down|corners|the|my|it"
     r"|out|ties|losses|prices|staff|jobs|through|a|an|some|more|hours)\b)"),
    (_SH, _K, r"(?:want|need|urge|urges|tempted|itching) to cut(?:<end>| (?:again|tonight|so bad"
     r"|so badly|really bad|really badly|badly|myself|so much|right now|rn|now))"),
    (_ACT, _K, r"^(?:(?:i|just|i just|to|and) )?(?:die|overdose|od|off <myself>)<end>"),
    (_ACT, _K, r"(?:imagining|imagine|picturing|picture|pictured|imagined|visualising|visualizing"
     r"|thinking about|thought about|think about|thoughts of|thoughts about) (?:my own|my)"
     r" (?:death|funeral|suicide|body)"),
    (_ACT, _K, r"(?:thinking|thought|think|thoughts) (?:about|of) death(?! of (?:the|my|a))"),
    (_ACT, _K, r"(?:not|no longer) (?:afraid|scared|frightened) (?:of|to) (?:die|dying|death)"),
    (_ACT, _K, r"(?:want|need|going) to end this<end>"),
    (_WSH, _K, r"(?:want|wanna|wanted|wish|wishing|wished|would like|would love|just|could|need"
     r"|longing) (?:to |i could |i would |if i could )?(?:(?:just|really|simply|honestly"
     r"|completely|literally) )*(?:disappear|vanish|fade away|evaporate)(?! (?:from|off|to|on"
     r"|into|under|behind|in|at|for (?:the|a|my|this|that) (?:weekend|holiday|week|month|day"
     r"|couple|few)))"),
    (_WSH, _K, r"(?:want|wish|need) (?:it|everything|this|the pain) (?:all )?to (?:stop|end|be"
     r" over)(?:<end>| (?:forever|for good|now|already))"),
    (_WSH, _K, r"(?:want|wanna|need) to sleep forever|(?:tired|sick|exhausted|weary) of (?:waking"
     r" up|being me|my life)<end>"),
    (_WSH, _K, r"(?:dont|do not) (?:really |even )?(?:want|wanna) to be here<here>|(?:dont|do not)"
     r" have to (?:be here|exist|be alive|wake up)(?! (?:at|for|in|on|when|with|today|tonight"
     r"|this|right now|during|early))|want (?:out of (?:this )?life|out<end>)"),
    (_WSH, _K, r"(?:want|wish|need) (?:it all|everything|all of it|the pain|it) to (?:end|stop|be"
     r" over)(?: permanently| for good| forever)"),
    (_MTH, _K, r"(?:standing|stood|sitting|sat|im|i am) (?:on|at) (?:the |a "
     r"|my )?(?:edge of (?:the "
     r"|a )?)?(?:bridge|ledge|roof|rooftop|balcony|cliff|platform edge|edge)(?: right now| now)?"
     r"<end>|(?:think|thinking|thought) about jumping(?! (?:ship|to|into|at|on|in|straight|back"
     r"|over|through|from|careers?|industr\w*|roles?|jobs?|companies|the queue))|how (?:high|tall"
     r"|far down|deep) (?:is )?(?:the |a |my )?(?:bridge|building|balcony|roof|cliff|drop|fall)"
     r"|(?:using|use|get|getting|take|taking|borrow|borrowing) (?:my |the )?(?:<w> )?(?:gun"
     r"|pistol|rifle|shotgun|firearm)"),
    (_MTH, _K, r"(?:thinking about|thought about|think about|going to|want to|gonna) (?:just )?"
     r"(?:use|using) (?:a|the|my) (?:rope|belt|noose|cord|gun|knife|razor|blade|pills)|(?:could"
     r"|might) (?:just )?use (?:a|the|my) (?:rope|belt|noose|cord|gun)"
     r"|(?:picked|chosen|chose|decided on|settled on) (?:a|the) (?:bridge|building|cliff|tree"
     r"|train line)(?! (?:role|team|job|position|project|question|analogy)\b)"),
    (_PLN, _K, r"(?:know|decided|planned|chosen|picked|worked out"
     r"|figured out) (?:exactly )?(?:where"
     r" and when|when and where|how and when|when and how|where and how|how and where)|(?:place"
     r"|spot|somewhere) (?:where )?(?:no one|nobody|noone) (?:will|would|can|could) (?:find|see"
     r"|stop) me|(?:got|have|has) everything (?:i need )?ready<end>|(?:thought|thinking|think)"
     r" about how (?:i|id|to) (?:<w> )?(?:do it|do this|end it|go about it)|(?:worked out|working"
     r" out|figured out|planned) (?:all )?the details|(?:bought|got|have|ordered|gathered|collected"
     r"|obtained) (?:the |all the |everything |what )?(?:stuff|things|everything|what) i (?:need"
     r"|needed) to (?:do it|go through with it)"),
    (_MTH, _C, r"(?:have|got|holding|hold|with) (?:a |the |my )?(?:whole )?(?:bottle|packet|box"
     r"|pack|stash|handful) of (?:<w> )?<pills>(?: <w>){0,3}? (?:next to|beside|in front of|with"
     r"|on) me|(?:engine|car) (?:<w> ){0,6}?running (?:<w> ){0,3}?garage|garage (?:<w> ){0,6}?"
     r"engine running"),
    (_HOP, _C, r"(?:except|other than|but|apart from|besides) (?:by )?(?:dying|death|to die|suicide"
     r"|killing <myself>|ending it|ending my life)|only (?:way out|option|answer|solution|escape"
     r"|way to stop (?:this|it|the pain)) (?:is|would be|left is|left) (?:to )?(?:die|death|dying"
     r"|suicide|ending it|end it|kill <myself>|killing <myself>)"),
    (_FIN, _C, r"for after im (?:gone|dead)|(?:after|when|once) im dead"),
    (_FIN, _K, r"(?:after|when|once) im gone(?! (?:on|for|to|from|away)\b)"),
    (_MTH, _K, r"exhaust (?:pipe|fumes|hose)|(?:bridge|tracks|ledge|edge|water|river|train|pills"
     r"|rope|balcony|sea) (?:<w> ){0,4}?(?:keeps? )?(?:calling|calls|called) (?:me|to me|my name)"
     r"|(?:jump|jumping|jumped) (?:in|into|off into) (?:the |a )?(?:river|sea|lake|canal|ocean"
     r"|water|thames|harbour|harbor)|bleed(?:ing)? out(?! (?:money|cash|talent|staff|customers"
     r"|users))|(?:do it|die|go|end it) (?:painlessly|peacefully|quickly and painlessly|without"
     r" (?:any )?pain)|how (?:many|much) (?:<w> )?(?:i(?:d| would)?|to) (?:need to )?(?:take"
     r"|swallow)<end>"),
    (_PLN, _K, r"(?:pills|tablets|meds|rope|noose|gun) (?:are |is )?(?:ready|lined up|counted out"
     r"|set aside)|(?:a|the) (?:date|day) (?:is )?(?:set|picked|chosen)(?:<end>| and| already)"
     r"|(?:have|got|has) the means(?:<end>| now| and| already)|(?:got|have) it all planned(?: out)?"
     r"<end>"),
    (_HOP, _K, r"(?:life|my life|living|existence|it all|everything) (?:has|holds) no (?:meaning"
     r"|purpose|point|value)|no (?:meaning|purpose) (?:in|to) (?:my )?life|(?:dont|do not) (?:want"
     r"|wanna) to (?:continue|go on|carry on|keep going)(?:<end>| anymore| any more| like this)"
     r"|(?:i feel|im|i am|feeling) (?:(?:so|completely|totally|utterly|just|really) )*hopeless"
     r"(?! (?:at|about|with|when|in|for)\b)|(?:see|there is|theres) no point(?:<end>| anymore"
     r"| in anything| in any of it)|tired of (?:fighting|struggling|surviving)(?:<end>| anymore)"
     r"|(?:i )?(?:just )?cant anymore<end>"),
    (_BUR, _K, r"be better off(?:<end>| anyway| honestly| tbh| really)"),
    (_BUR, _K, r"(?:come|go|show up|turn up|attend|be at|cry at) (?:to )?my funeral"),
    (_BUR, _K, r"(?:im|i am|i feel like|i feel|feel like|feeling like|being|ive become"
     r"|i have become"
     r"|become|becoming|i was|ive been|i have been|just|such|nothing but|only)(?: <w>){0,2}?"
     r" (?:(?:a|an|such a|nothing but a|just a|the|one big|a huge|a massive|a complete|a total) )?"
     r"(?:burden|dead weight|waste of (?:space|oxygen|air|skin|life|a life))(?! (?:to|on|for|in)"
     r" (?:the|my|our|this) (?:team|colleagues|coworkers|co workers|manager|boss|company|project"
     r"|department|employer|budget|interviewer|recruiter|hiring)| of proof| of debt| in (?:these"
     r"|the|this|my|our|team|meetings)| at (?:work|the|this|my)| during| (?:on|to)"
     r" (?:<w> ){1,2}?with (?:all )?(?:this|my|these|the|all my) (?:complain\w*|moan\w*|vent\w*"
     r"|whin\w*|rant\w*|questions|messages))"),
    (_BUR, _K, r"(?:im|i am|feel like|such) (?:a|an|such a) (?:drain|weight) on (?:everyone"
     r"|everybody|<loved>|people)"),
    (_HOP, _K, r"no (?:<w> )?(?:reason|point) (?:<w> ){0,2}?(?:to|in|for) (?:keep going|keep trying"
     r"|continue|try anymore|trying anymore|anything|any of it|carrying on)(?:<end>| anymore"
     r"| any more)"),
    (_HOP, _K, r"(?:cant|can not|cannot|unable to|dont think i can|not sure i can"
     r"|dont know if i can"
     r"|dont know how much longer i can|how much longer can i|how much more can i|no longer able"
     r" to) (?:(?:really|even|just) )?(?:go on|keep going|carry on|do this|do it|take (?:it|this"
     r"|much more|any more|anymore)|keep doing this|continue|cope|handle (?:it|this|life"
     r"|everything)|live (?:like this|with this|this way)|keep living|survive|bear (?:it|this)"
     r"|stand (?:it|this)|face (?:another day|tomorrow|life|it|anything|the world)|hold on|do life"
     r"|do this life|live|exist|be alive"
     r"|keep fighting|fight (?:it|this) anymore)(?= \.|$| anymore| any more| any longer"
     r"| much longer| like this| this way| honestly| tbh| no more| for much longer| i | im | its"
     r"| everything| without| lol| ugh)"),
    (_HOP, _K, r"(?:no|a|any|only one|one|the only|other) way (?:out|forward|through)(?: of"
     r" (?:this|it|here|my (?:life|pain|head)|this (?:life|pain|hell|mess|situation|nightmare"
     r"|darkness|hole)))?(?:<end>| for me| except| but| other than| besides| anymore| any more"
     r"| apart from| left)"),
    (_HOP, _K, r"(?:no|lost all|zero|not any|without any|there is no|theres no|not a shred of"
     r"|no more|out of) hope (?:left )?(?:for me|left|anymore|any more|at all|in my life"
     r"|of (?:ever )?(?:getting better|feeling better|things getting better|recovery|anything"
     r" (?:changing|getting better)|being happy|living))|hope is gone|lost (?:all )?hope<end>"
     r"|(?:no|zero) hope<end>"),
    (_HOP, _K, r"(?:nothing|things|it|life|my life|everything) (?:will|is going to|is gonna"
     r"|are going"
     r" to|are gonna|is ever going to|are ever going to|will ever|would ever) (?:ever )?(?:get"
     r"|be|getting) (?:any )?(?:better|okay|ok|fine|easier)"),
    (_HOP, _K, r"(?:things|it|its|it is|life|my life|everything|this) (?:will never|are never going"
     r" to|is never going to|are never gonna|is never gonna|never going to|never gonna|never"
     r"|wont ever|will not ever|isnt ever going to|is not going to|isnt going to|wont|are not"
     r" going to|arent going to|arent ever going to) (?:ever )?(?:get|be|change|improve)(?: any)?"
     r"(?: better| okay| ok| fine| easier| different)?(?! at| in| with| for| until| unless| if"
     r"| to| the| my| a| an| that| this| them| him| her| you| me| it| used| back| done| hired)"),
    (_HOP, _K, r"(?:whats|what is|wats|wuts) (?:even )?(?:the )?(?:point|purpose|use)(?: (?:of"
     r"|in))?"
     r" (?:anything|it all|any of it|any of this|everything|all this|all of this|trying anymore"
     r"|even trying anymore|anything anymore|going on|carrying on|anymore)(?:<end>| anymore"
     r"| any more| honestly| tbh| really| at all| if| when)"),
    (_HOP, _K, r"(?:dont|do not|cant|cannot|no longer) see (?:the|any|much|a) (?:point|reason"
     r"|purpose)(?: (?:in|of|to) (?:anything|any of it|it all|going on|carrying on|keep going))?"
     r"(?:<end>| anymore| any more)"),
    (_HOP, _K, r"(?:give|giving|given|gave) up on everything(?:<end>| now| completely| at this"
     r" point)|done with (?:everything|it all)(?:<end>| i| im| honestly| tbh| now)"),
    (_HOP, _K, r"(?:dont|do not|cant|cannot) see (?:a|any) future(?:<end>| for (?:me|myself)"
     r"| anymore| ahead)|nothing (?:is )?(?:ever )?(?:going to|will|gonna) change(?:<end>"
     r"| for me| anyway| and| but)|nothing (?:is )?(?:ever )?(?:going to|will|gonna) ever change"
     r"|(?:cant|cannot|dont) see (?:any )?(?:way|how) (?:this|things|it|my life|life) (?:gets|get"
     r"|is going to get|will get|could get|can get|would get|will ever get) better|out of hope"
     r"|out of reasons to (?:live|stay|keep going)"),
    (_HOP, _K, r"nothing (?:(?:really|even) )?matters(?: anymore| any more| to me| at all)?"
     r"(?:<end>| anymore| and| but| so| at all)|nothing (?:left )?to look forward to(?:<end>"
     r"| anymore| ever)"),
    (_HOP, _K, r"(?:see|i see|i have|theres|there is|got) no (?:future|tomorrow|way forward"
     r"|light at"
     r" the end)(?! (?:in|at|for|with) (?:this|the|that|my) (?:company|role|job|industry|team"
     r"|field|career|place|market|sector|profession|country|city))"),
    (_HOP, _K, r"(?:life|my life|existence|living|being alive|everything|it all)(?: <w>)? (?:is"
     r"|feels|seems|has become|just feels|is just|so) (?:(?:so|completely|totally|utterly|just"
     r"|really) )?(?:pointless|meaningless|hopeless|unbearable|empty|not worth it|a waste|too"
     r" hard|too painful)(?! (?:for|in|at|on) )"),
    (_HOP, _K, r"why (?:should i|do i|would i|bother) (?:even )?(?:keep going|go on|carry on"
     r"|try anymore|keep trying)(?:<end>| anymore)|(?:tired|sick|exhausted|weary) of (?:everything"
     r"|it all)(?:<end>| anymore| any more| honestly| tbh)"),
    (_FIN, _K, r"(?:wont|will not|not going to|not gonna) be (?:here|around)(?: (?:anymore|any more"
     r"|tomorrow|next week|next month|by (?:tomorrow|the (?:morning|weekend|end of (?:the )?week)"
     r"|monday|tuesday"
     r"|wednesday|thursday|friday|saturday|sunday|then)|after (?:tonight|today"
     r"|this(?: \w+)?)))?<end>"
     r"|(?:wont|will not|not going to|not gonna) be (?:here|around) (?:anymore|any more)"),
    (_FIN, _K, r"by the time (?:you|anyone|someone|u) (?:read|reads|see|sees|get|gets) this"),
    (_FIN, _K, r"(?:you|anyone|nobody|no one|you guys|yall)(?: will)? (?:wont|will not|will never"
     r"|are not going to|arent going to|are never going to|wont ever|never|not going to) (?:ever )?"
     r"(?:hear from|see|talk to|speak to|hear) (?:me|from me) (?:again|ever again|anymore"
     r"|any more|after (?:this|today|tonight))"),
    (_FIN, _K, r"last time (?:we (?:will |ever )?(?:talk|speak|chat)|i (?:will |ever )?(?:talk"
     r"|write"
     r"|message) to you)(?! (?:before|until|till|about))"),
    (_FIN, _K, r"last time (?:youll|you will|you|anyone will|anyone|youll ever|you ever) (?:ever )?"
     r"(?:hear from me|see me|hear me|talk to me|get a message from me|speak to me)"),
    (_FIN, _K, r"(?:this is|its|it is|this will be|so this is|guess this is|i guess this is|heres)"
     r"(?: my)? (?:goodbye|farewell|the end(?: for me)?)(?! (?:to|from|of|for now|for today"
     r"|for the day|for this week|for this|for the|on|at))"),
    (_FIN, _K, r"(?:goodbye|bye|farewell) (?:forever|for good|for ever|for the last time)"),
    (_FIN, _K, r"(?:itll|it will|itll all|it will all|it is all going to|its all going to"
     r"|its going to"
     r"|everything will|all this will|all of this will|this will all|soon it will|soon itll"
     r"|it all will|the pain will) (?:all )?(?:be )?(?:over|done|finished|end)(?: soon| shortly"
     r"| tonight| tomorrow| in a few| before long| for me)"),
    (_FIN, _K, r"soon (?:it|nothing|none of (?:it|this)) (?:wont|will not|will no longer|isnt going"
     r" to) matter|(?:it|nothing|none of (?:it|this)) (?:wont|will not|will no longer|isnt going"
     r" to) matter (?:anymore|any more|soon)"),
    (_FIN, _K, r"(?:ill|i will|im going to|i am going to|going to|will|i might|i may|soon ill"
     r"|soon i will) be gone (?:soon|by (?:the )?(?:weekend|morning|tomorrow|tonight|monday"
     r"|tuesday|wednesday|thursday|friday|saturday|sunday|next week|then|end of)|forever|for good"
     r"|before (?:long|the|you|anyone)|tomorrow|tonight)"),
    (_FIN, _K, r"see you (?:all )?on the other side(?! of)"),
    (_FIN, _K, r"tell (?:<loved>|them) (?:that )?i (?:love|loved) (?:them|her|him|you)|tell (?:them"
     r"|everyone|<loved>) (?:that )?im sorry"),
    (_FIN, _K, r"(?:im|i am) saying goodbye(?:<end>| (?:to you|to everyone|now|for good|forever|i"
     r"|and|thank|thanks))"),
    (_FIN, _K, r"(?:this is|heres|here is|it is|its|consider this|this will be)(?: my"
     r"| the)? (?:last"
     r"|final) (?:message|msg|text)|(?:last|final) (?:message|words|msg)(?:<end>| (?:im sorry"
     r"|sorry|i love|goodbye|bye|thank|thanks|ever|from me|to you|to everyone|before i))"),
    (_FIN, _K, r"(?:wanted|want|need|needed|wanted you) to (?:just )?say (?:goodbye|bye|farewell)"
     r"(?! (?:to|at|before) (?:the|my|our) (?:team|colleagues|coworkers|co workers|office|clients"
     r"|company|job|manager|boss|holiday|trip|vacation))|(?:thank you|thanks) (?:so much )?for"
     r" (?:everything|all (?:of )?(?:it|this|your help))(?: <w>)? (?:goodbye|farewell|bye forever)"
     r"|(?:i love (?:you|you all|you guys|everyone|them)|take care(?: of yourself)?)(?: <w>)?"
     r" (?:goodbye|farewell|bye forever)|(?:final|last) goodbye|see you in (?:another|the next)"
     r" life"),
    (_FIN, _K, r"(?:by|before) (?:tomorrow|tonight|the morning|morning|the weekend|monday|tuesday"
     r"|wednesday|thursday|friday|saturday|sunday|then|next week) (?:it(?:ll| will)|everything"
     r" will|everythingll|itll all|it will all) (?:all )?(?:be )?(?:over|done|finished)"
     r"|(?:itll|it will) all be over<end>|(?:ill|i will|soon ill) be gone<end>"
     r"|(?:goodbye|bye|farewell) (?:everyone|all|everybody|world|guys|all of you)<end>"),
    (_FIN, _K, r"(?:thank you|thanks|say thanks|say thank you)(?: so much)? for everything(?: <w>)"
     r"{0,2}? before i (?:go|leave|die|am gone|im gone)<end>|(?:goodbye|farewell)(?: <w>)?"
     r" (?:thank you|thanks) for everything<end>|(?:soon )?(?:ill|i will) (?:finally )?be at peace"
     r"(?:<end>| soon| forever| at last)"
     r"|out of (?:everyones|everybodys|your|their) (?:way|hair|lives) (?:for good|forever"
     r"|permanently)|log(?:ging)? off (?:for good|forever|permanently|for the last time)"),
    (_FIN, _K, r"sorry for everything(?:<end>| i | im | goodbye| bye| farewell)"),
)  # fmt: skip

# What a match must not follow, within the sentence: a negation and the words that may come
# between it and the match ("not suicidal", "would never hurt myself", "no plans to end it").
_NEGATION_CUE = r"(?:not|never|no|dont|wont|wouldnt|shouldnt|isnt|arent|aint|nor|neither|far from)"
_NEGATION_FILLER = (
    r"(?:going to|about to|planning to|plan to|planning on|want to|trying to|ready to|able to"
    r"|ever|really|actually|even|seriously|currently|at all|be|being|been|feel|feeling|felt|am|a"
    r"|an|any|have|having|had|thinking about|thinking of|think about|considering|consider"
    r"|planning|plan|trying|wanting|want|ready|able|about|intending|intend|tempted"
    r"|intentions? (?:of|to)|intent to|plans? (?:to|of|on)|thoughts? (?:of|about)"
    r"|thought (?:of|about)|urges? to|desire to|wish to|like i|that i|that id|that im|that ill"
    r"|like|so|anything|do|doing|get|getting|to|of|about|on|in|for|go|into|remotely|particularly"
    r"|exactly|would|will|again|going|the type to|the kind of person to|one to|someone who would"
    r"|at risk of|in danger of|gonna)"
)
_NEGATED = re.compile(rf"(?:^| ){_NEGATION_CUE}(?: {_NEGATION_FILLER})* ?$")
_NEGATION_WORDS = frozenset(
    {"not", "never", "no", "dont", "wont", "wouldnt", "shouldnt", "isnt", "arent", "aint", "nor"}
    | {"neither", "from"}  # "far from"
)
# "I don't think I'm suicidal", "not sure if I'm ...": unsure, so at most a gentle check.
_HEDGED = re.compile(
    r"(?:^| )(?:(?:dont|do not) think |not sure (?:if |whether )?|not certain (?:if |whether )?)"
    rf"(?:im|i am|ive been|i was|id|i would|ill|i will|i have|i could)(?: {_NEGATION_FILLER})* ?$"
)
_LOOK_BACK = 80  # characters before a match searched for a negation

_RULE_PATTERNS = tuple(_expand(pattern) for _, _, pattern in _RULES)
_VOCABULARY = frozenset(
    {"i", "a"}
    | {word for pattern in _RULE_PATTERNS for word in re.findall(r"[a-z]{2,}", pattern)}
    | {word for words in _SLANG.values() for word in words.split()}
    | {"myself", "suicide", "suicidal", "kill", "killing", "die", "dying", "dead", "death", "alive"}
    | {"life", "live"}
)
_MOST_SEVERE = next(iter(Category))
# Matches whose words are skipped afterwards: figures of speech and someone else's suicide.
_SKIP = frozenset(
    index
    for index, (category, _, pattern) in enumerate(_RULES)
    if category is None or pattern is _THIRD_PARTY
)
_HEDGEABLE = frozenset({Category.ACTIVE_THOUGHTS, Category.SELF_HARM, Category.WISH_TO_BE_DEAD})

# --- Dispatch ---------------------------------------------------------------------------------
# One alternation of all the rules, tried at every word, costs milliseconds. Instead every rule
# is filed under the words it can start with ("kill", "killing", "i"), worked out once from its
# parse tree; a rule that starts with a stem ("suicid\w*") is filed under the stem's first three
# letters. At each word of a message only the rules filed under it are tried, as one alternation
# in rule order, so the first rule that matches at a place still wins. A rule whose first word
# cannot be worked out is tried at every word. (The filing is coaching/safety_match.py's, shared
# with the Spanish and Russian rules.)


def _dispatch() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    return dispatch(_RULE_PATTERNS)


_BY_WORD, _BY_STEM = _dispatch()
_ALL_KEYED = "" not in _BY_STEM  # every rule has a known first word (the usual case)


# Each alternation is compiled the first time a word needs it (compiling all ~350 up front
# would add half a second to every start) and then kept: _READY holds at most one entry per
# word in _BY_WORD and per stem in _BY_STEM. Once a message has given a CRISIS, only rules
# that can still matter are tried (_READY_AFTER_CRISIS): CRISIS rules, figures of speech, and
# the rule for someone else's suicide (whose words must still be skipped).
_READY: dict[str, re.Pattern[str]] = {}
_READY_AFTER_CRISIS: dict[str, re.Pattern[str]] = {}
_AFTER_CRISIS = frozenset(
    index
    for index, (_, signal, _) in enumerate(_RULES)
    if signal is not CrisisSignal.CHECK or index in _SKIP
)


def _rules_for(word: str, after_crisis: bool = False) -> re.Pattern[str] | None:
    """The alternation to try at `word`, or None if no rule starts with it."""
    key = word if word in _BY_WORD else word[:_STEM_LENGTH]
    indices = _BY_WORD.get(key) or _BY_STEM.get(key) or _BY_STEM.get("")
    if key not in _BY_WORD and key not in _BY_STEM:
        key = ""
    if after_crisis:
        indices = tuple(index for index in indices or () if index in _AFTER_CRISIS)
    if not indices:
        return None
    ready = _READY_AFTER_CRISIS if after_crisis else _READY
    rules = ready.get(key)
    if rules is None:
        rules = ready[key] = _alternation(indices)
    return rules


@cache  # one entry per distinct tuple of rules
def _alternation(indices: tuple[int, ...]) -> re.Pattern[str]:
    body = "|".join(f"(?P<r{i}>{_RULE_PATTERNS[i]})" for i in indices)
    return re.compile(f"(?:{body})(?!\\w)")


def screen(text: str) -> Screening:
    """Screen one message in English, Spanish and Russian: the strongest signal and its category.

    People write in their own language whatever the bot speaks to them, and mix languages, so
    every message is read by all three rule sets. The Russian rules run only on text with
    Cyrillic letters, the Spanish ones only when a cheap test finds a word they could need.
    """
    found = _screen_english(text)
    if found.signal is CrisisSignal.CRISIS and found.category is _MOST_SEVERE:
        return found
    if safety_ru.has_cyrillic(text):
        found = most_severe(found, safety_ru.screen(text))
    if safety_es.might_be_spanish(text):
        found = most_severe(found, safety_es.screen(text))
    return found


def _screen_english(text: str) -> Screening:
    """The English rules: the strongest signal and the most severe category of that."""
    words = " ".join(_words(text)).split(" ")  # chat forms such as "wanna" are two words
    normalised = " ".join(words)
    best = _NOTHING
    ready = _READY
    skip_to = start = 0
    for word in words:
        position, start = start, start + len(word) + 1
        if position < skip_to:
            continue
        rules = ready.get(word)
        if rules is None:
            if word not in _BY_WORD and word[:_STEM_LENGTH] not in _BY_STEM and _ALL_KEYED:
                continue
            rules = _rules_for(word, after_crisis=ready is _READY_AFTER_CRISIS)
        if rules is None or (match := rules.match(normalised, position)) is None:
            continue
        index = int((match.lastgroup or "r0")[1:])
        category, signal, _ = _RULES[index]
        if index in _SKIP:
            skip_to = match.end()
        if category is None or not _stronger(signal, category, best):
            continue
        before = normalised[max(0, position - _LOOK_BACK) : position]
        if _NEGATION_WORDS.intersection(before.split(" ")[-8:]) and _NEGATED.search(before):
            continue
        if (
            signal is CrisisSignal.CRISIS
            and category in _HEDGEABLE
            and ("think" in before or "sure" in before or "certain" in before)
            and _HEDGED.search(before)
        ):
            signal = CrisisSignal.CHECK
            if not _stronger(signal, category, best):
                continue
        best = Screening(signal, category)
        if signal is CrisisSignal.CRISIS:
            if category is _MOST_SEVERE:
                break
            ready = _READY_AFTER_CRISIS
    return best


def detect_crisis(text: str) -> CrisisSignal:
    """CRISIS for a clear self-harm or suicide signal, CHECK for an ambiguous one, else NONE."""
    return screen(text).signal
