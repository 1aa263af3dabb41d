"""Familias españolas de la decimoséptima sonda (issue #13, 2026-12-07).

Mismas convenciones que :mod:`alongside.safety.patterns_es`, cuyas ``PIECES`` usan; cada
familia nombra un fenómeno general visto en los fallos de una sonda, nunca una frase.
:mod:`alongside.safety.patterns_es` añade ``ROUND17`` a sus ``FAMILIES``.
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

ROUND17: tuple[tuple[str, C, L, str], ...] = (
    (
        "es.autolesion_decimoseptima",
        C.SELF_HARM,
        L.REVIEW,
        r"\bme (?:quemo|queme|quemaba|estoy quemando|volvi a quemar)(?: \w+)? con (?:el|los|la|las|un|una|unos)"
        r" (?:cigarr\w*|encendedor|mechero|fosforos|cerillos|cerillas|plancha|vela)\b"
        r"|\bme (?:di|doy|daba|he dado|estoy dando|volvi a dar) (?:de )?(?:golpes|punetazos|cabezazos)\b"
        r"|\b(?:sin comer|no como|dejo de comer|deje de comer|no comer|me salto las comidas) a proposito\b"
        r"|\bsin comer (?:para castigarme|porque no (?:lo )?merezco)\b",
    ),
    (
        "es.dano_disparo",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:le|les|te) (?:meto|voy a meter|metere|meteria|pego|voy a pegar|pegare|doy|voy a dar|dare)"
        r" (?:un|unos|dos) (?:balazos?|tiros?|plomazos?|navajazos?|cuchillazos?|machetazos?)\b"
        r"|\b(?:pegarle|meterle|darle) (?:un|unos) (?:balazos?|tiros?|plomazos?|navajazos?|cuchillazos?|machetazos?)\b",
    ),
    (
        "es.pensamientos_danar",
        C.HARM_TO_OTHERS,
        L.REVIEW,
        r"\b(?:pensamientos|ideas|imagenes) (?:de|sobre) (?:empujar|lastimar|hacerle dano|ahogar|golpear|pegarle|matar|apunalar|tirar)"
        r" (?:a )?(?:mi|mis|al|a la|a los)\b",
    ),
    (
        "es.despedida_culpa",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bsi (?:no|ya no|manana no|el \w+ no) (?:llego|estoy|aparezco|despierto|vuelvo|contesto)\b"
        r".{0,60}\b(?:no (?:fue|es|sera) culpa|los quiero|perdon|adios)\b",
    ),
    (
        "es.todo_arreglado",
        C.PLAN_OR_PREPARATION,
        L.REVIEW,
        r"\b(?:he dejado|deje|dejo|tengo|ya esta) (?:todo|mis cosas|mis papeles|las cosas) (?:arreglad[oa]s?|en orden|atado)\b"
        r"(?! (?:para|por|con) (?:la|el|mi|las|los) (?:mudanza|viaje|fiesta|boda|examen|reunion|vacaciones|cena|cita|lunes|banco))",
    ),
    (
        "es.en_paz_decision",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:tranquil[oa]|en paz) con (?:lo que voy a hacer|mi decision|lo que he decidido|lo que decidi)\b",
    ),
    (
        "es.arma_sacada",
        C.MEANS,
        L.URGENT,
        r"\b(?:escopeta|pistola|revolver|rifle|arma)\b.{0,80}\b(?:la saque|lo saque|la cargue|lo cargue|la tengo cargada"
        r"|me sente con ella|la tuve en (?:la mano|las manos))\b(?!.{0,40}\b(?:caza|club|campo de tiro)\b)",
    ),
    (
        "es.deje_medicacion",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:deje|he dejado|dejo|estoy dejando) de (?:tomar|ponerme|usar) (?:las |mis |la |mi )?(?:{pastillas}|insulina|medicacion|tratamiento|dialisis)"
        r"(?: del corazon| de la presion| de la diabetes)?\b.{0,40}\b(?:a proposito|adrede|para (?:morir|irme|que (?:pase|se acabe))|es lo mejor)\b",
    ),
)

# Fallos que quedaban en las sondas 10-14 (ya usadas para escribir patrones: no son texto nuevo).
ROUND17 += (
    (
        "es.empujon_agresion",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:empujo|empujaron|tiro|avento|aventó|arrojo) (?:por|de|contra|escaleras abajo)(?: (?:las|la|el))? (?:escaleras?|pared|suelo|piso|mueble|puerta)\b"
        r"|\bme (?:apreto|agarro|ahorco|estrangulo) (?:la garganta|el cuello)\b",
    ),
    (
        "es.manguera_coche",
        C.MEANS,
        L.URGENT,
        r"\b(?:compre|tengo|consegui|guarde) una manguera\b.{0,30}\b(?:coche|carro|auto|escape|tubo de escape)\b",
    ),
    (
        "es.despedida_gracias",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\bgracias por todo\b,? (?:y )?adios\b(?! (?:y )?(?:hasta|nos vemos|que (?:tengas|tenga|les vaya)))",
    ),
    (
        "es.carga_sin_mi",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:estarian|estaria|vivirian|viviria|serian|seria) (?:\w+ )?(?:mejor|tranquil[oa]s?|felices|feliz|bien) sin mi\b",
    ),
    (
        "es.no_despertar",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:estaria bien|seria mejor|seria lindo|ojala|quisiera|quiero) no (?:despertar(?:me)?|volver a despertar(?:me)?)\b",
    ),
)

# Decimoctava ronda: fallos de la decimoctava sonda.
ROUND17 += (
    (
        "es.ultimo_tren",
        C.PLAN_OR_PREPARATION,
        L.REVIEW,
        r"\b(?:mire|busque|revise|averigue|ya se) (?:a )?que hora pasa el (?:ultimo )?(?:tren|metro)\b"
        r"(?! (?:para|de) (?:volver|regresar|ir|llegar|vuelta))",
    ),
    (
        "es.reparto_cosas",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\b(?:les|le) dejo (?:todas )?mis cosas\b|\b(?:reparto|regalo|repartir|regalar) (?:todas )?mis cosas (?:a|entre) (?:mis|mi)\b",
    ),
    (
        "es.amenaza_si_denuncio",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bsi (?:lo|la|le) (?:denuncio|dejo|abandono|cuento|digo a alguien)\b.{0,25}\bme (?:mata|matara|va a matar|mataria)\b",
    ),
)

# Decimonovena ronda: fallos de la decimonovena sonda (escrita después de la prueba bloqueada).
ROUND17 += (
    (
        "es.mejor_no_existir",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:seria|sera|es) mejor no (?:existir|estar aqui|vivir|haber nacido)\b",
    ),
    (
        "es.nadie_me_busque",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bpara que nadie me (?:busque|espere|encuentre|extrane|eche de menos)\b",
    ),
    (
        "es.blisteres",
        C.MEANS,
        L.URGENT,
        r"\b(?:juntando|guardando|escondiendo|junte|guarde|escondi|junto|guardo) (?:los |las |mis |todos los |todas las )?(?:blisteres|blisters|blister|tiras de pastillas)\b",
    ),
    (
        "es.cuiden_mascota",
        C.GOODBYE_OR_FINALITY,
        L.REVIEW,
        r"\bcuiden?(?:me)? (?:a )?mi (?:gato|gata|perro|perra|mascota|pajaro|conejo)\b.{0,60}\b(?:comida|alimento|veterinario|plato|arena|correa)\b",
    ),
    (
        "es.autolesion_objeto",
        C.SELF_HARM,
        L.REVIEW,
        r"\b(?:use|uso|agarre|agarro) (?:la|una|el|mi|un) (?:navaja|cuchilla|gillette|hoja|tijera|compas|vidrio)\b.{0,40}"
        r"\b(?:en (?:la|el|mi|mis|los|las) (?:panza|brazos?|piernas?|muslos?|muneca|estomago|piel)|para que nadie (?:vea|se de cuenta|lo note))\b",
    ),
    (
        "es.tome_muchas",
        C.MEANS,
        L.URGENT,
        r"\bme (?:tome|trague|bebi) (?:un monton|muchas|muchos|un punado|todas|todos|toda la caja|todo el (?:blister|frasco)|[1-9][0-9]+|diez|quince|veinte|treinta)"
        r" (?:de )?(?:las |mis |los )?(?:{pastillas}|ibuprofeno|paracetamol|aspirinas?|clonazepam|rivotril|tylenol|pastis)\b",
    ),
)
