"""Factories of the canned answers (here rather than tests/factories.py: one app, one file)."""

import factory

from canned_answers.models import CannedAnswer


class CannedAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedAnswer

    title = factory.Sequence(lambda n: f"Respuesta {n:03d}")
    area = ""
    text = "Hola {solicitante}, revisamos el ticket {codigo} de {clinica}. Saludos, {agente}."
    is_active = True
