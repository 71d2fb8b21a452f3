"""Varied, realistic Spanish texts for the generated tickets and responses.

A pool of a few thousand details is built once from sentence templates; the loader cycles
through it, so every word a clinic would search for (``impresora``, ``boleta``,
``vacuna``...) appears in a realistic share of the tickets.
"""

import random

SCREENS = [
    "agenda",
    "ficha clínica",
    "caja",
    "inventario",
    "facturación",
    "hospitalización",
    "recetas",
    "vacunas",
    "reportes",
    "peluquería",
    "laboratorio",
    "recordatorios",
]
ACTIONS = [
    "guardar la ficha del paciente",
    "emitir la boleta electrónica",
    "imprimir la receta",
    "agendar una hora de control",
    "registrar la vacuna antirrábica",
    "cerrar la caja del día",
    "cargar el resultado del hemograma",
    "enviar el recordatorio por correo",
    "descontar un producto del inventario",
    "anular una factura",
    "exportar el reporte mensual",
    "adjuntar la radiografía",
]
PROBLEMS = [
    "la pantalla queda en blanco",
    "aparece el mensaje «error inesperado»",
    "el sistema se queda cargando",
    "la impresora no recibe el documento",
    "el monto no coincide con el total",
    "se duplica el registro",
    "no aparece el tutor del paciente",
    "el botón guardar no responde",
    "el PDF sale sin el logo de la clínica",
    "la boleta queda pendiente en el SII",
    "el stock queda negativo",
    "se cierra la sesión sin aviso",
]
COMMERCIAL = [
    "necesitamos la factura de la suscripción de este mes",
    "el pago con tarjeta fue rechazado pero el banco lo cobró",
    "queremos renovar el plan anual y sumar una sucursal",
    "el monto cobrado no corresponde al plan contratado",
    "solicitamos la orden de compra para el departamento de finanzas",
    "necesitamos el certificado de pago para contabilidad",
]
PETS = ["Luna", "Max", "Rocky", "Kira", "Simba", "Nala", "Toby", "Mora", "Coco", "Bruno"]
SPECIES = ["perro", "gato", "conejo", "hurón", "loro"]
TIMES = ["en la mañana", "cerca del mediodía", "a media tarde", "al cierre del turno"]
RESPONSES = [
    "Revisamos el caso y corregimos la configuración de la impresora de boletas.",
    "El problema se debía a una actualización pendiente; ya quedó aplicada en su clínica.",
    "Emitimos la factura solicitada y la enviamos al correo registrado.",
    "Necesitamos que nos indiquen el número de ficha y la fecha exacta para continuar.",
    "Se corrigió el descuento de inventario; el stock ya muestra el valor correcto.",
    "Reprocesamos la boleta en el SII y quedó aceptada.",
    "Ajustamos los permisos del usuario para que pueda cerrar la caja.",
    "La agenda volvió a sincronizar; por favor confirmen si ven las horas de hoy.",
]


def _detail(rng: random.Random) -> str:
    pet, species = rng.choice(PETS), rng.choice(SPECIES)
    when = f"el {rng.randint(1, 28)} de {rng.choice(['marzo', 'abril', 'mayo', 'junio'])}"
    if rng.random() < 0.25:
        return (
            f"Área comercial: {rng.choice(COMMERCIAL)}. Lo revisamos {rng.choice(TIMES)} {when} "
            f"y {rng.choice(PROBLEMS)}. Adjuntamos el comprobante y quedamos atentos a su "
            f"respuesta para regularizar la cuenta de la clínica."
        )
    screen, action, problem = rng.choice(SCREENS), rng.choice(ACTIONS), rng.choice(PROBLEMS)
    other = rng.choice(PROBLEMS)
    return (
        f"En la pantalla de {screen}, al intentar {action} para el paciente {pet} "
        f"({species}), {problem}. Esperábamos que el sistema lo guardara normalmente, pero "
        f"{other}. Ocurrió {rng.choice(TIMES)} {when}, con el usuario de recepción. Ya "
        f"probamos cerrar sesión y volver a entrar, y el problema continúa."
    )


def detail_pool(size: int = 4000, seed: int = 2026) -> list[str]:
    """``size`` ticket details, none with a tab, newline or backslash (safe for COPY text)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    return [_detail(rng) for _ in range(size)]


def response_pool(size: int = 500, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    return [
        f"{rng.choice(RESPONSES)} {rng.choice(RESPONSES)} Quedamos atentos. Equipo "
        f"SmartAutomate/VetSync."
        for _ in range(size)
    ]


FIRST_NAMES = ["Camila", "Javiera", "Sofía", "Valentina", "Martina", "Benjamín", "Matías"]
FIRST_NAMES += ["Vicente", "Tomás", "Agustín", "Fernanda", "Catalina", "Diego", "Ignacio"]
LAST_NAMES = ["González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva"]
LAST_NAMES += ["Martínez", "Sepúlveda", "Morales", "Rodríguez", "López", "Fuentes"]
CLINIC_WORDS = ["Clínica Veterinaria", "Hospital Veterinario", "Centro Veterinario"]
PLACES = ["Los Aromos", "Austral", "del Valle", "Providencia", "Ñuñoa", "La Florida"]
PLACES += ["Maipú", "Viña del Mar", "Concepción", "Temuco", "Puerto Montt", "La Serena"]


def person_name(n: int) -> str:
    return (
        f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // 7) % len(LAST_NAMES)]} "
        f"{LAST_NAMES[(n // 3) % len(LAST_NAMES)]}"
    )


def clinic_name(n: int) -> str:
    return f"{CLINIC_WORDS[n % len(CLINIC_WORDS)]} {PLACES[(n // 3) % len(PLACES)]} {n}"
