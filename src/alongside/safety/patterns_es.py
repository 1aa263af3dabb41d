"""Spanish pattern families, against normalised text (no accents: "dano", "extranaria").

``{name}`` is a piece below or a lemma expanded to its forms (see :mod:`alongside.safety.forms`).
Clitic pronouns are written out where they matter ("matarme", "me mato").
"""

from __future__ import annotations

from alongside.safety.result import Category as C
from alongside.safety.result import Level as L

PIECES: dict[str, str] = {
    "quiero": r"(?:quiero|quisiera|queria|quiciera|kiero|voy a|vo a|pienso|estoy pensando en|pense en|he pensado en|tengo ganas de|ganas de|me dan ganas de|deseo|podria|necesito|intente|intentar|decidi|estoy por|a punto de)",
    "pastillas": r"(?:pastillas|pildoras|medicamentos|medicinas|remedios|pastis|calmantes|antidepresivos|somniferos|clonazepam|paracetamol)",
    "cuando": r"(?:esta noche|hoy|manana|este fin de semana|esta semana|pronto|ahora|ya)",
    "lugar": r"(?:closet|armario|ropero|carro|coche|auto|cuarto|cajon|mochila|garaje|sotano|bano)",
    "alto": r"(?:puente|edificio|techo|azotea|balcon|barranco|precipicio|terraza|piso \w+)",
    "agresor": r"(?:el|ella|ellos|mi (?:esposo|marido|pareja|novio|novia|ex|papa|padre|mama|madre|padrastro|madrastra|hermano|hermana|tio|jefe|abuelo|primo|suegro|esposa|mujer|companero))",
    "cuerpo": r"(?:brazos?|piernas?|munecas?|muslos?|piel|manos?|panza|estomago|cadera)",
    "otro": r"(?!el tiempo|el rato|el aburrimiento|la espera)(?:a )?(?:mi \w+|ese \w+|esa \w+|ese tipo|esa vieja|el \w+|la \w+|todos|todo el mundo|alguien|mi \w+ \w+)",
}

FAMILIES: tuple[tuple[str, C, L, str], ...] = (
    # --- ideacion suicida ----------------------------------------------------------------
    (
        "es.matarme",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:matarme|suicidarme|quitarme la vida|me quiero matar|me voy a matar|me quiero suicidar|me voy a suicidar|(?:yo )?me mato (?:esta noche|hoy|ya|manana)\b|mejor me mato\b)|\bme (?:quiero|voy a|pienso|quisiera) (?:matar|suicidar|quitar la vida)\b",
    ),
    (
        "es.suicida",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:suicida|suicidio|ideas? suicidas?|pensamientos? suicidas?|suicidarse)\b",
    ),
    (
        "es.acabar",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:acabar|terminar|poner fin|ponerle fin) (?:con )?(?:mi vida|todo|todo esto|mi sufrimiento)\b(?! de la (?:tarea|casa))(?! (?:este|ese|el|mi|lo del?) (?:trabajo|papeleo|proyecto|informe|desorden|pendiente|examen|libro|plato|pastel)| (?:esta|esa|la|mi) (?:tarea|ropa|comida|pizza|lista|limpieza|caja|serie)| (?:estos|esos|los|mis) (?:pendientes|platos|deberes|correos|examenes)| (?:estas|esas|las|mis) (?:tareas|galletas|cajas))|\bacabar con todo\b(?! (?:este|ese|el|mi|lo del?) (?:trabajo|papeleo|proyecto|informe|desorden|pendiente|examen|libro|plato|pastel)| (?:esta|esa|la|mi) (?:tarea|ropa|comida|pizza|lista|limpieza|caja|serie)| (?:estos|esos|los|mis) (?:pendientes|platos|deberes|correos|examenes)| (?:estas|esas|las|mis) (?:tareas|galletas|cajas))",
    ),
    (
        "es.morir",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b{quiero} (?:morir(?:me)?|estar muert[oa]|dejar de vivir|dejar de existir|desaparecer para siempre)\b(?! de (?:(?:la )?(?:risa|verguenza|pena)|hambre|sueno|frio|calor|amor|aburrimiento|nervios))|\bme quiero morir\b(?! de (?:(?:la )?(?:risa|verguenza|pena)|hambre|sueno|frio|calor|amor|aburrimiento|nervios))|\bme voy a morir (?:esta noche|hoy)\b",
    ),
    (
        "es.pasiva",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:ojala|quisiera|desearia|deseo) (?:no )?(?:estar muert[oa]|no despertar(?:me)?|no haber nacido|desaparecer|dormirme y no despertar|morirme mientras duermo|no existir)\b|\bojala (?:me muera|muriera|no despierte|no despertara)\b|\bno quiero (?:vivir|seguir viviendo|despertar(?:me)?|seguir|estar aqui|existir|estar viv[oa])(?: mas)?\b(?! (?:temprano|tan temprano|mas temprano|a las|antes de|pronto|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)))|\b(?:cansad[oa]|harto|harta) de (?:vivir|la vida|existir|estar viv[oa])\b|\bmejor muert[oa]\b",
    ),
    # --- plan o preparacion --------------------------------------------------------------
    (
        "es.plan",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:tengo|hice|ya tengo) (?:un|el|mi) plan\b.{0,40}\b(?:morir|matarme|acabar|terminar|hacerlo)\b|\bya (?:se|decidi) (?:como|cuando|donde) (?:lo voy a hacer|hacerlo|matarme|acabar)\b|\b(?:esta noche|hoy|manana) (?:lo hago|es la noche|es el dia|termino con todo|acabo con todo|me voy)\b|\blo (?:voy a hacer|hago) {cuando}\b",
    ),
    (
        "es.altura",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:tirarme|lanzarme|aventarme|arrojarme|me tiro|me lanzo|me aviento|saltar) (?:del|de un|de una|de la|desde el|desde la|desde un|al|a las vias|bajo|frente a|delante de) (?:\w+ )?(?:{alto}|tren|metro|camion|carro|coche|auto|autobus|vias)\b|\b(?:me sente|estuve|sentad[oa]|parad[oa]) (?:en|sobre) (?:el )?borde del? (?:{alto})\b|\b(?:estoy|parad[oa]|sentad[oa]) (?:en|sobre) (?:el|un|la|una) (?:borde del? )?(?:{alto})\b",
    ),
    (
        "es.sobredosis",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bsobredosis\b|\b(?:tomarme|tomar|me tome|me tomare|tragarme|me trague) (?:todas|toda la caja de|el frasco de|un punado de|muchas) (?:las |mis )?{pastillas}\b|\bcuantas {pastillas}\b.{0,40}\b(?:morir|matar|tomar|necesito|letal)\b|\bdosis (?:letal|mortal)\b",
    ),
    (
        "es.buscar",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:busque|buscando|investigue|investigando|lei) (?:en internet |en google )?(?:como|formas de|maneras de|la mejor forma de) (?:morir|matarme|suicidarme|ahorcarme|acabar con todo)\b|\bformas? (?:sin dolor|indoloras?) de morir\b",
    ),
    (
        "es.no_a_salvo",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bno (?:me )?puedo (?:mantener(?:me)?|cuidar(?:me)?) a salvo\b|\bno estoy a salvo (?:de mi|conmigo)\b|\bno confio en mi (?:mism[oa] )?(?:esta noche|ahora)\b|\bno (?:puedo )?prometer(?:te)? que (?:voy a estar|estare) a salvo\b",
    ),
    # --- medios --------------------------------------------------------------------------
    (
        "es.medios",
        C.MEANS,
        L.URGENT,
        r"\b(?:juntando|guardando|ahorrando|acumulando|escondiendo|junte|guarde|ahorre|acumule|escondi|tengo guardadas) (?:mis |las |unas |muchas )?{pastillas}\b|\b{pastillas} (?:que )?(?:he ido )?(?:guardando|juntando|acumulando)\b|\bsuficientes {pastillas}\b",
    ),
    (
        "es.cuerda",
        C.MEANS,
        L.URGENT,
        r"\b(?:cuerda|soga|cinturon|cable) (?:en|debajo de|escondida en) (?:el|mi|la) {lugar}\b|\b(?:compre|consegui|tengo|guardo|escondi|amarre|hice) (?:una |la |un |el |mi )?(?:cuerda|soga|nudo|pistola|arma|revolver|navaja|cuchillas?|hojas? de afeitar|veneno|raticida)\b(?! (?:para|de) (?:tender|colgar la ropa|la ropa|el tendedero|saltar|escalar|escalada|la mudanza|el perro|la tienda|el barco|el toldo))|\b(?:la )?(?:pistola|arma) de mi (?:papa|padre|esposo|marido|abuelo)\b|\bahorcarme\b|\bcortarme las venas\b",
    ),
    ("es.emoji", C.MEANS, L.URGENT, r"\b(?:esta noche|hoy|adios|ya) (?:pills|knife|rope|gun|razor)\b"),
    # --- despedida -----------------------------------------------------------------------
    (
        "es.despedida",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:esta es|esto es) (?:mi|una) despedida\b|\badios para siempre\b|\bcuando (?:leas|lean|alguien lea|encuentren) esto\b|\bya no (?:estare|voy a estar) (?:aqui|aca|viv[oa]|en este mundo|para)\b|\bno (?:voy a|vaya a) (?:estar|llegar|ir) (?:a|para|en) (?:la|nuestra|mi) (?:proxima|siguiente) (?:sesion|cita|consulta)\b|\bno (?:estare|voy a estar) (?:para|en) (?:la|nuestra) (?:proxima|siguiente)\b|\b(?:perdon|perdonen|perdoname|lo siento) por todo\b.{0,40}\b(?:adios|los quiero|los amo|cuidense)\b|\b(?:cuiden|cuida) (?:a|de) mis (?:hijos|ninos|gatos|perros|hijas)\b|\b(?<!mi )(?<!tu )(?<!el )(?<!su )ultimo mensaje\b(?! (?:del dia|de hoy|por hoy|de la semana|de la tarde)\b)|\bultima vez que\b|\b(?:este es|este sera|esto es|aqui va|va) (?:mi|el) ultimo mensaje\b|\bmi ultimo mensaje (?:para (?:ti|ustedes|todos|el mundo)|antes de irme)\b|\b(?:dile|diles|digan|diganle) a (?:mi )?\w+ que (?:la|lo|los|las) (?:quiero|amo)\b.{0,20}\badios\b",
    ),
    (
        "es.cartas",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:cartas?|notas?) (?:de despedida|(?:a|para) (?:mis|mi) (?:hijos|hijas|ninos|familia|mama|papa|padres|esposo|esposa|marido|pareja|hermanos|hermanas|amigos|seres queridos))\b|\b(?:les|le) (?:escribi|deje) (?:unas |una )?(?:cartas?|notas?) (?:a|para) (?:mis|mi) (?:hijos|hijas|ninos|familia|mama|papa|padres|esposo|esposa|marido|pareja)\b|\bpor si acaso\b.{0,60}\b(?:cartas?|notas?|testamento)\b|\b(?:cartas?|notas?)\b.{0,60}\bpor si acaso\b|\b(?:hice|escribi|estoy haciendo|haciendo|termine|redacte|actualice|firme) (?:mi|el|un) testamento\b|\bdejando (?:todo|mis cosas) en orden\b",
    ),
    (
        "es.regalar",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:regalando|regale|regalar|repartiendo|repartir|regalo) (?:todas |todos )?(?:mis cosas|mi ropa|mis libros|mis pertenencias|mis juegos|mis plantas|mi gato|mi perro|todo lo que tengo)\b|\bcuando ya no este\b",
    ),
    # --- carga y desesperanza ------------------------------------------------------------
    (
        "es.carga",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:estarian|estaria|seria|serian|vivirian|estan) mejor sin mi\b|\bsoy una carga\b|\b(?:nadie|ninguno) (?:me )?(?:extranaria|extranaria|notaria|se daria cuenta)\b|\bsolo (?:soy un estorbo|estorbo)\b",
    ),
    (
        "es.desesperanza",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\b(?:sin|no tengo|no hay|perdi la|ya no tengo) (?:ninguna )?esperanza\b|\bno (?:hay|veo) salida\b|\bnada va a mejorar\b|\bnunca va a mejorar\b|\bno (?:tengo|veo|hay) (?:razon|razones|motivo|motivos|sentido) (?:para|de|en) (?:vivir|seguir|estar aqui)\b|\bya no (?:puedo|aguanto) mas\b|\bno aguanto mas (?:esta vida|vivir|asi)\b|\bla vida no tiene sentido\b|\bnada tiene sentido\b|\bpara que seguir\b",
    ),
    # --- autolesion ----------------------------------------------------------------------
    (
        "es.cortarme",
        C.SELF_HARM,
        L.URGENT,
        r"\bme (?:volvi a |he vuelto a |vuelvo a |estoy |sigo )?(?:{cortar}|corte|corto|cortando)\b(?! el (?:pelo|cabello|flequillo|fleco|dedo)| las (?:unas|puntas)| cocinando| un poco| picando| afeitando| rasurando| con (?:un|el) papel| con (?:una|la) hoja| con papel| con un cuchillo de cocina| con un vidrio sin querer| la (?:luz|llamada))|\bcortarme\b(?! el (?:pelo|cabello))|\bme (?:haria|hago|hare|he hecho|estoy haciendo|hice) dano\b(?! en (?:el|la|los|las|un|una|mi|mis) (?:rodillas?|tobillos?|espalda|hombros?|pies?|codos?|cuello|cadera|dedo del pie|gimnasio|partido|entrenamiento)| (?:jugando|entrenando|corriendo|cocinando|haciendo deporte|sin querer))|\b(?:lastimarme|hacerme dano|me hice dano a proposito|me lastime a proposito|me estoy lastimando|me lastimo)\b|\bautolesion\w*\b|\bme (?:queme|quemo|estoy quemando|volvi a quemar) (?:el|los|la|las|con) (?:{cuerpo}|cigarro|encendedor)\b|\bquemarme\b|\b(?:cortes|cicatrices|quemaduras|heridas) (?:nuevas?|nuevos|frescas?|frescos|en (?:los|las|mis) {cuerpo})\b|\bme (?:golpeo|golpee|pego|pegue) (?:a mi mism[oa]|la cabeza contra)\b|\b(?:ganas|necesidad) de (?:cortarme|lastimarme|quemarme|hacerme dano)\b",
    ),
    # --- dano a otros --------------------------------------------------------------------
    (
        "es.dano_otros",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b{quiero} (?:matar|lastimar|apunalar|golpear|hacerle dano|hacerles dano|dispararle|ahorcar|envenenar|partirle la cara|acuchillar) {otro}\b|\b{quiero} (?:matarl[oa]s?|matarle|lastimarl[oa]s?|golpearl[oa]s?|apunalarl[oa]|envenenarl[oa]|acuchillarl[oa])\b|\b(?:lo|la|los|las|le) (?:voy a|quiero|podria) (?:matar|lastimar|apunalar|golpear|acuchillar)\b|\b(?:le|les) (?:voy a|quiero|podria) (?:hacer dano|matar|pegar un tiro|partir la cara)\b|\b(?:me las va a pagar|me la va a pagar|me las van a pagar|se van a arrepentir)\b|\b(?:llevar|llevare) (?:un arma|una pistola|un cuchillo) (?:al trabajo|a la escuela|a la oficina|a su casa)\b",
    ),
    # --- peligro o abuso -----------------------------------------------------------------
    (
        "es.abuso",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b(?!me (?:pegue|golpee|lastime|tope)\b)(?:{agresor} )?(?:me|nos) (?:{pegar}|{golpear}|{amenazar}|{ahorcar}|{estrangular}|{empujar}|{violar}|{abofetear}|{patear}|{forzar}|{encerrar}|{agarrar}|{lastimar}|{maltratar}|{abusar}|{tocar}) (?:con|del|de|a|el|la|muy|fuerte|otra|cuando|y|porque|anoche|ayer|hoy|si|mientras)\b|\b{agresor} me (?:{pegar}|{golpear}|{amenazar}|{ahorcar}|{estrangular}|{empujar}|{violar}|{abofetear}|{patear}|{maltratar})\b|\bme (?:dio|dan|da) (?:una )?(?:cachetada|bofetada|golpiza|paliza|patada|punetazo)\b|\bme amenazo\b|\bme (?:{ahorcar}|{estrangular})\b|\bme (?:apunto|amenazo) con (?:un|una) (?:cuchillo|pistola|arma|navaja)\b",
    ),
    (
        "es.peligro",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bno (?:estoy|me siento) (?:a salvo|segur[oa]) (?:en (?:casa|mi casa)|con (?:el|ella|mi \w+))\b|\bno me deja (?:salir|ver a nadie|usar el telefono|ir)\b|\b(?:tengo|me da) miedo (?:de )?(?:volver a casa|que me (?:mate|pegue|lastime|encuentre|haga dano)|de mi (?:esposo|marido|pareja|novio|padrastro|papa|padre|ex))\b|\bdijo que me (?:va a|iba a) matar\b|\bme (?:tiene|tienen) encerrad[oa]\b",
    ),
    (
        "es.timing",
        C.PLAN_OR_PREPARATION,
        L.NONE,
        r"\b(?:esta noche|hoy) es (?:la noche|el dia)\b|\bya es hora\b|\bya estoy list[oa]\b|\besta noche lo hago\b|\bya no hay marcha atras\b",
    ),
)

# Segunda ronda: formas que faltaban al probar con mensajes realistas.
FAMILIES += (
    (
        "es.pasiva_mas",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\b(?:quiero|quisiera) (?:desaparecer|irme de este mundo|dormir para siempre|irme para siempre)\b"
        r"|\bme quiero ir de este mundo\b|\bpienso (?:mucho )?en (?:la muerte|morirme|estar muert[oa])\b",
    ),
    (
        "es.desesperanza_mas",
        C.BURDEN_HOPELESSNESS,
        L.REVIEW,
        r"\bno le veo (?:sentido|caso) a (?:nada|la vida|seguir|vivir)\b|\bya no aguanto\b(?! (?:este|ese|el|esta|esa|la|tanto) (?:calor|frio|trafico|ruido|lluvia|sueno|hambre|tarea|examen|tos|gripe|resfriado)\b)"
        r"|\bme siento (?:una|como una) carga\b|\bno valgo nada\b",
    ),
    (
        "es.despedida_mas",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bme (?:despedi|estoy despidiendo) de (?:todos|mi familia|mis hijos|mis amigos|ustedes)\b"
        r"|\bno creo (?:llegar|que llegue) a (?:manana|la proxima sesion|el lunes)\b",
    ),
    (
        "es.medios_mas",
        C.MEANS,
        L.URGENT,
        r"\btengo (?:las|mis|unas|todas las) {pastillas} (?:aqui|en la mano|listas|enfrente|en la mesa)\b",
    ),
    (
        "es.autolesion_mas",
        C.SELF_HARM,
        L.URGENT,
        r"\bme (?:volvi a|vuelvo a|he vuelto a) (?:lastimar|quemar|golpear|hacer dano)\b",
    ),
    (
        "es.abuso_mas",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:pego|pegaba|golpeo|golpeaba|violo|ahorco|estrangulo)(?= |$)"
        r"(?! el sol| la gripe| el frio| el calor| una cancion| un susto)"
        r"|\b{agresor} (?:le )?(?:{pegar}|{golpear}) a (?:los ninos|mis hijos|mi hij[oa]|el bebe|mi hermanit[oa])\b",
    ),
)

# Tercera ronda: planes y despedidas que solo encontraba el clasificador.
FAMILIES += (
    (
        "es.plan_mas",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\bme voy a (?:tirar|lanzar|aventar|arrojar) (?:del|de un|de la|desde el|al|a las vias|frente al?)\b"
        r"|\b(?:ya )?tengo todo (?:listo|preparado) para (?:esta noche|hoy|manana|el fin de semana)\b"
        r"|\bmiedo de lo que (?:pueda|podria|voy a) hacerme\b",
    ),
    (
        "es.medios_tercera",
        C.MEANS,
        L.URGENT,
        r"\bcompre (?:muchas|un monton de|varias cajas de|cajas de|mas) {pastillas}\b",
    ),
    (
        "es.autolesion_tercera",
        C.SELF_HARM,
        L.URGENT,
        r"\bme (?:estoy|estuve) (?:quemando|cortando|lastimando|golpeando)\b|\bme corte otra vez\b",
    ),
    (
        "es.abuso_tercera",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:violaron|abusaron|agredieron|golpearon|pegaron|amenazaron)\b",
    ),
)

# Cuarta ronda.
FAMILIES += (
    (
        "es.abuso_cuarta",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{agresor} me (?:{quemar}|{encerrar}|{arrastrar}|{morder}|{jalar}|{quitar} el telefono)\b"
        r"|\bme (?:encerro|encierra) y\b",
    ),
    (
        "es.dano_cuarta",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:le |les )?(?:voy a|quiero|pienso) (?:romper(?:le|les)? la cara|partir(?:le|les)? la cara|quemar(?:le|les)? la casa)\b",
    ),
)

# Quinta ronda.
FAMILIES += (
    (
        "es.autolesion_quinta",
        C.SELF_HARM,
        L.URGENT,
        r"\bme (?:rasgune|rasguno|arane|arano|rasque|pellizque|golpee) hasta (?:sangrar|que sangre|sacarme sangre)\b",
    ),
    (
        "es.despedida_quinta",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\b(?:cuiden|cuida|cuidaras|cuiden bien) (?:a|de) mi (?:perro|perrita|gato|gatita|hij[oa]|mama|papa)\b"
        r".{0,30}\b(?:cuando me vaya|cuando ya no este|por mi|si me pasa algo)\b",
    ),
)

# Sexta ronda.
FAMILIES += (
    (
        "es.plan_sexta",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:estuve|estoy|parad[oa]|sentad[oa]|me sente|me pare) (?:en|junto a|cerca de|sobre) (?:las vias|la via) del (?:tren|metro)\b"
        r"|\bsi (?:algo )?me pasa(?: algo)?\b.{0,60}\b(?:carta|nota|testamento|contrasena|llave|cuenta)\b",
    ),
    (
        "es.abuso_sexta",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:obliga|obligo|forzo|fuerza|obligaba) a (?:tener relaciones|tener sexo|acostarme|hacer cosas|tocarlo)\b",
    ),
)

# Octava ronda.
FAMILIES += (
    (
        "es.plan_octava",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:estoy|estuve|me sente|parad[oa]|sentad[oa]) (?:arriba|encima|en lo alto|en la orilla|al borde) "
        r"de(?:l| la| un| una)? (?:{alto})\b"
        r"|\btengo pensado hacerlo\b|\b(?:casi|estuve a punto de) (?:me tomo|tomarme|me tome) todas (?:las|mis) {pastillas}\b",
    ),
    (
        "es.despedida_octava",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bya no nos (?:vamos a ver|veremos)\b|\bno nos (?:volveremos|vamos a volver) a ver\b",
    ),
    (
        "es.abuso_octava",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:jalo|jala|tiro|tira|agarro|agarra|jalaba) del (?:pelo|cabello)\b|\bme (?:arrastro|arrastra|arrastraba)\b",
    ),
)

# Novena ronda.
FAMILIES += (
    (
        "es.plan_novena",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:contando|conte|juntando) (?:las|mis|todas las|todas mis) {pastillas}\b"
        r"|\b(?:cartas?|notas?) (?:a|para) (?:mis|mi) \\w+\b.{0,20}\bpor si (?:me pasa algo|algo me pasa|acaso)\b",
    ),
)

# Undecima ronda: los fallos de la decima prueba fresca (2026-12-06), escritos como el fenomeno general.
FAMILIES += (
    (
        "es.plan_undecima",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:elegi|escogi|decidi|ya tengo|ya elegi|ya escogi) (?:el|la) (?:dia|fecha|hora|noche|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b.{0,25}\bpara hacerlo\b"
        r"|\b(?:voy|vengo|estoy|ando) (?:caminando |yendo |manejando )?(?:hacia|a|para|en|sobre) (?:las vias|la via|los rieles|el puente|la azotea|el acantilado)\b"
        r"|\bme (?:trague|tome|bebi) (?:un monton de|muchas|muchisimas|todas (?:las|mis)|toda la (?:caja|tira|botella) de|un punado de|varias cajas de|\d{2,3}) {pastillas}\b"
        r"|\b(?:{pastillas}|litio|pastilla|medicina|medicamento|receta)\b.{0,40}\b(?:lo|la|las|los) (?:fui|he ido|estoy|estuve|vengo|voy) (?:guardando|juntando|acumulando|escondiendo|ahorrando)\b"
        r"|\b(?:guardando|acumulando|escondiendo|ahorrando) (?:[a-z]+ ){0,3}{pastillas}\b",
    ),
    (
        "es.otros_undecima",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:lo|la|los|las|le) (?:apunalo|apunalare|voy a apunalar|acuchillo|voy a acuchillar|rajo|voy a rajar|quemo vivo|voy a quemar vivo)\b"
        r"|\b(?:le|les) (?:voy a|vamos a|va a) (?:dar|meter|poner) (?:una )?(?:golpiza|paliza|madriza|putiza|chinga|pateadura|tunda|calentada)\b"
        r"|\b(?:le|les) (?:voy a|vamos a) (?:partir|romper) (?:la cara|la madre|el alma|los huesos)\b",
    ),
    (
        "es.abuso_undecima",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\b{agresor} (?:[a-z]+ ){0,8}no me (?:deja|dejaba|permite) (?:ver a|salir|hablar con|trabajar|tener|usar|ir)\b"
        r"|\bme (?:quita|quito|quitaba|controla|controlaba|esconde|escondio) (?:el|mi|mis|la|las) (?:dinero|sueldo|celular|telefono|tarjetas?|pasaporte|documentos|llaves)\b"
        r"|\b{agresor} me (?:sigue a todas partes|persigue|acosa|vigila|rastrea|espera afuera)\b"
        r"|\bme (?:sigue|persigue|espera) (?:a todas partes|afuera de(?:l| mi| la)? (?:casa|trabajo|escuela|oficina))\b",
    ),
)

# Deseo pasivo de morir con "ojala" (revision, no urgente).
FAMILIES += (
    (
        "es.ojala_muerte",
        C.SUICIDE_IDEATION,
        L.REVIEW,
        r"\bojala (?:yo )?(?:estuviera|estuviese|estar) muert[oa]s?\b"
        r"|\bojala (?:yo )?(?:me muriera|me muera|me muriese|no existiera|no hubiera nacido|desapareciera|no despertara)\b"
        r"|\bojala (?:yo )?no estuviera (?:aqui|viv[oa])\b",
    ),
)

# Duodecima ronda: los fallos de la undecima prueba fresca (2026-12-06), como fenomeno general.
FAMILIES += (
    (
        "es.plan_duodecima",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:deje|tengo|ya tengo) (?:la|mi) (?:carta|nota) (?:escrita|lista|de despedida)\b(?! para (?:la escuela|el trabajo|el banco))"
        r"|\b(?:rifle|pistola|escopeta|arma|revolver)\b.{0,50}\b(?:se|conozco) (?:la combinacion|la clave|el codigo|donde (?:esta|guarda) la llave)\b",
    ),
    (
        "es.otros_duodecima",
        C.HARM_TO_OTHERS,
        L.URGENT,
        r"\b(?:llevo|llevare|voy a llevar|me llevo) (?:un|una|el|la|mi) (?:cuchillo|navaja|pistola|arma|machete) "
        r"(?:al|a la) (?:trabajo|escuela|oficina|colegio|universidad|fiesta|casa de)\b",
    ),
    (
        "es.abuso_duodecima",
        C.DANGER_ABUSE,
        L.URGENT,
        r"\bme (?:puso|pone|ponia|apreto|aprieta|apretaba) (?:las|sus) manos (?:en|alrededor de)(?: el| mi)? (?:cuello|garganta)\b"
        r"|\bse (?:queda|quedaba|quedo) con (?:mi|todo mi|mis) (?:sueldo|dinero|salario|tarjeta|tarjetas|quincena)\b"
        r"|\b{agresor} (?:entro|se metio|irrumpio) (?:a|en) (?:mi|la) (?:casa|departamento|depa|cuarto|apartamento)\b"
        r"|\b(?:entro|se metio) (?:a|en) (?:mi|la) (?:casa|departamento|depa|cuarto|apartamento) (?:[a-z]+ ){0,2}a la fuerza\b",
    ),
    (
        "es.despedida_decimotercera",
        C.GOODBYE_OR_FINALITY,
        L.URGENT,
        r"\bno (?:creo que|se si) (?:siga|este|llegue|vaya a estar|vaya a seguir) (?:aqui |viv[oa] |con vida )?(?:para|a) "
        r"(?:la|nuestra|mi) (?:proxima|siguiente) (?:sesion|cita|consulta)\b"
        r"|\bya no (?:voy a ir|vuelvo|ire) a (?:la|nuestra|mi|las|nuestras) (?:proxima |siguiente )?(?:sesion|cita|consulta)(?:es|s)?\b.{0,30}\b(?:nunca|nunca mas|ni a ninguna)\b",
    ),
    (
        "es.plan_decimocuarta",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:ya )?(?:elegi|escogi|decidi|fije|puse|tengo) (?:el|la) (?:dia|fecha)\b"
        r"(?! (?:de|para) (?:la|mi|el|nuestra|nuestro) (?:boda|fiesta|cita|viaje|mudanza|examen|cumpleanos|vacaciones|entrevista|operacion))"
        r"|\b(?:azotea|puente|edificio|techo|balcon|acantilado|terraza)\b.{0,40}\b(?:orilla|cornisa|borde|baranda|barandal|barandilla)\b",
    ),
    (
        "es.medios_decimocuarta",
        C.MEANS,
        L.URGENT,
        r"\b(?:guarde|guardo|escondi|escondo|tengo|puse|dejo|deje) (?:una|un|la|el|mi) (?:navaja|cuchilla|cuchillo|arma|pistola|soga|cuerda)"
        r"(?: [a-z]+){0,2} (?:debajo de|bajo) (?:la|mi) (?:almohada|colchon|cama)\b",
    ),
)

# Decimoquinta ronda (el responsable): fallos de la decimoquinta sonda que ningún patrón nombraba.
FAMILIES += (
    (
        "es.plan_decimoquinta",
        C.PLAN_OR_PREPARATION,
        L.URGENT,
        r"\b(?:ya )?(?:elegi|escogi) (?:el|un|mi) (?:puente|acantilado|precipicio|barranco|edificio)\b"
        r"|\b(?:este|el) (?:fin de semana|viernes|sabado|domingo|lunes|martes|miercoles|jueves)\b.{0,15}\bacabo con todo\b(?! (?:el|la|los|las|lo|mi|mis|este|esta|eso))"
        r"|\besta noche (?:me )?(?:las |los )?tomo (?:todas|todos)\b",
    ),
    (
        "es.autolesion_ahora",
        C.SELF_HARM,
        L.URGENT,
        r"\bme estoy (?:cortando|quemando|lastimando|haciendo dano) (?:ahora|ahora mismo|en este momento)\b"
        r"|\bcortandome (?:ahora|ahora mismo|en este momento)\b",
    ),
)

# Decimosexta ronda (2026-12-07): la hora antes del verbo, la ventana como lugar, el arma "conmigo".
FAMILIES += (
    (
        "es.matarme_hora_antes",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:esta noche|hoy|manana|este finde|este fin de semana|ya fue,?|ya esta,?) (?:yo )?me (?:mato|suicido)\b"
        r"(?! (?:de|a) (?:risa|hambre|sueno|trabajar|estudiar|correr|entrenar))",
    ),
    (
        "es.tirarme_ventana",
        C.SUICIDE_IDEATION,
        L.URGENT,
        r"\b(?:tirarme|lanzarme|aventarme|arrojarme|me tiro|me lanzo|me aviento|me voy a tirar|me voy a lanzar)"
        r" (?:por|de|desde) (?:la|una|mi) (?:ventana|terraza|azotea)\b",
    ),
    (
        "es.arma_conmigo",
        C.MEANS,
        L.URGENT,
        r"\b(?:arma|pistola|revolver|escopeta|cuchillo|navaja)\b.{0,60}\b(?:usarla|usarlo|dispararme|clavarmel[oa]) (?:conmigo|contra mi)\b",
    ),
)

# Decimoséptima ronda en adelante: en su propio módulo (este se acerca al límite de tamaño).
from alongside.safety.patterns_es_round16 import ROUND17  # noqa: E402

FAMILIES += ROUND17

# Ronda 21: los tipos de frase que fallaron en las sondas 17 a 21, leídas juntas.
from alongside.safety.patterns_round21 import ES as ROUND21  # noqa: E402

FAMILIES += ROUND21

# Ronda 23: lo que la sonda 23 (mensajes corteses por el portal) no encontró.
from alongside.safety.patterns_round23 import ES as ROUND23  # noqa: E402

FAMILIES += ROUND23
