"""Goals and buttons typed in Spanish and Russian: numbers in words, inflected words, accents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.choices import match_choice
from coaching.goals import TargetError, TypedGoal, parse_target, read_goal
from coaching.language import speaking
from coaching.model import GoalKind

# The words of each kind's buttons as the debrief offers them (prompts/<language>/labels.toml).
LABELS = {
    "es": {
        GoalKind.APPLY: "Postularme a N puestos Postularme a 0 puestos",
        GoalKind.MOCK_INTERVIEWS: "Hacer N entrevistas de práctica Hacer 0 entrevistas de práctica",
        GoalKind.PRACTICE_PROBLEMS: "Practicar N ejercicios Resolver 0 ejercicios",
        GoalKind.COURSE_MODULE: "Terminar N módulos del curso Terminar 0 módulos del curso",
        GoalKind.INTERVIEW: "Conseguir N entrevistas Conseguir 0 entrevistas",
    },
    "ru": {
        GoalKind.APPLY: "Откликнуться на N вакансий Откликнуться на 0 вакансий",
        GoalKind.MOCK_INTERVIEWS: "Пройти N пробных собеседований Пройти 0 пробных собеседований",
        GoalKind.PRACTICE_PROBLEMS: "Решить N задач Решить 0 задач",
        GoalKind.COURSE_MODULE: "Пройти N модулей курса Пройти 0 модулей курса",
        GoalKind.INTERVIEW: "Попасть на N собеседований Попасть на 0 собеседований",
    },
}


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("es", "5", 5),
        ("es", "cinco", 5),
        ("es", "Doce", 12),
        ("es", "veintiuno", 21),
        ("es", "treinta y dos", 32),
        ("es", "cien", 100),
        ("ru", "пять", 5),
        ("ru", "двенадцать", 12),
        ("ru", "двадцать одна", 21),
        ("ru", "одну", 1),
        ("ru", " 7 ", 7),
    ],
)
def test_a_target_in_words_of_each_language(language: str, text: str, value: int) -> None:
    assert parse_target(text, language=language) == value


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("es", "cero", "too_small"),
        ("es", "muchos", "not_a_number"),
        ("es", "five", "not_a_number"),
        ("es", "101", "too_big"),
        ("ru", "ноль", "too_small"),
        ("ru", "много", "not_a_number"),
        ("ru", "5 вакансий", "not_a_number"),
    ],
)
def test_a_target_refused_in_each_language(language: str, text: str, reason: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(text, language=language)
    assert info.value.reason == reason


def test_english_targets_are_as_before() -> None:
    assert parse_target("ten", language="en") == 10
    with pytest.raises(TargetError):
        parse_target("eleven", language="en")
    with speaking("ru"):
        assert parse_target("десять") == 10


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "postularme a 5 puestos", TypedGoal(GoalKind.APPLY, "5", None)),
        ("es", "postularme a veinte puestos", TypedGoal(GoalKind.APPLY, "veinte", None)),
        ("es", "5 entrevistas", TypedGoal(GoalKind.INTERVIEW, "5", None)),
        ("es", "conseguir una entrevista", TypedGoal(GoalKind.INTERVIEW, None, None)),
        (
            "es",
            "conseguir 2 entrevistas para el viernes",
            TypedGoal(GoalKind.INTERVIEW, "2", "para el viernes"),
        ),
        (
            "es",
            "hacer tres entrevistas de práctica en dos semanas",
            TypedGoal(GoalKind.MOCK_INTERVIEWS, "tres", "en dos semanas"),
        ),
        ("es", "una entrevista de practica", TypedGoal(GoalKind.MOCK_INTERVIEWS, None, None)),
        ("es", "practicar 20 ejercicios", TypedGoal(GoalKind.PRACTICE_PROBLEMS, "20", None)),
        (
            "es",
            "terminar 2 módulos del curso antes del 18 de diciembre",
            TypedGoal(GoalKind.COURSE_MODULE, "2", "antes del 18 de diciembre"),
        ),
        ("ru", "откликнуться на 5 вакансий", TypedGoal(GoalKind.APPLY, "5", None)),
        ("ru", "5 вакансий", TypedGoal(GoalKind.APPLY, "5", None)),
        ("ru", "5 собеседований", TypedGoal(GoalKind.INTERVIEW, "5", None)),
        ("ru", "получить 1 собеседование", TypedGoal(GoalKind.INTERVIEW, "1", None)),
        ("ru", "попасть на собеседование", TypedGoal(GoalKind.INTERVIEW, None, None)),
        (
            "ru",
            "пройти 3 пробных собеседования за две недели",
            TypedGoal(GoalKind.MOCK_INTERVIEWS, "3", "за две недели"),
        ),
        ("ru", "пробное собеседование", TypedGoal(GoalKind.MOCK_INTERVIEWS, None, None)),
        ("ru", "решить 20 задач", TypedGoal(GoalKind.PRACTICE_PROBLEMS, "20", None)),
        (
            "ru",
            "пройти 2 модуля курса до пятницы",
            TypedGoal(GoalKind.COURSE_MODULE, "2", "до пятницы"),
        ),
        (
            "ru",
            "откликнуться на двадцать вакансий к концу месяца",
            TypedGoal(GoalKind.APPLY, "двадцать", "к концу месяца"),
        ),
    ],
)
def test_a_goal_typed_in_each_language(language: str, text: str, expected: TypedGoal) -> None:
    assert read_goal(text, LABELS[language], language=language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [("es", "banana"), ("es", "12"), ("es", "para el viernes"), ("es", ""),
     ("ru", "банан"), ("ru", "12"), ("ru", "до пятницы"), ("ru", "")],
)  # fmt: skip
def test_words_that_name_no_goal_in_each_language(language: str, text: str) -> None:
    assert read_goal(text, LABELS[language], language=language) is None


def test_the_typed_number_is_read_by_parse_target_in_the_same_language() -> None:
    with speaking("ru"):
        typed = read_goal("решить двадцать одну задачу", LABELS["ru"])
        assert typed is not None and typed.number is not None
        assert parse_target(typed.number) == 21


STAGES = {
    "es": {
        "application": "📄 CV / filtro de postulación",
        "phone_screen": "📞 Reclutador o llamada",
        "technical": "💻 Prueba técnica o tarea",
        "onsite": "🏢 Presencial / rondas finales",
        "offer": "🤝 Etapa de oferta",
    },
    "ru": {
        "application": "📄 Резюме / отбор откликов",
        "phone_screen": "📞 Рекрутер или звонок",
        "technical": "💻 Тест или техзадание",
        "onsite": "🏢 Очный / финальный этап",
        "offer": "🤝 Этап оффера",
    },
}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "tecnico", "technical"),
        ("es", "Técnica", "technical"),
        ("es", "la prueba tecnica", "technical"),
        ("es", "fue una llamada", "phone_screen"),
        ("es", "reclutadora", "phone_screen"),
        ("es", "la ronda final", "onsite"),
        ("es", "oferta", "offer"),
        ("es", "banana", None),
        ("es", "el", None),
        ("ru", "тест", "technical"),
        ("ru", "техзадании", "technical"),
        ("ru", "рекрутером", "phone_screen"),
        ("ru", "на финальном этапе", "onsite"),
        ("ru", "оффер", "offer"),
        ("ru", "резюме", "application"),
        ("ru", "банан", None),
        ("ru", "этап", None),
        ("es", "technical", "technical"),  # the English value still names its button
    ],
)
def test_a_typed_word_names_a_button_in_each_language(
    language: str, text: str, expected: str | None
) -> None:
    assert match_choice(text, STAGES[language], language=language) == expected


@settings(deadline=None)  # the first call builds the language's tables
@given(st.text(max_size=200), st.sampled_from(["es", "ru"]))
def test_typed_goals_and_words_never_raise(text: str, language: str) -> None:
    assert match_choice(text, STAGES[language], language=language) in (None, *STAGES[language])
    read_goal(text, LABELS[language], language=language)
