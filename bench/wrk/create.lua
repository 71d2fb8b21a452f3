-- POST /soporte/tickets/nuevo: every request creates a ticket (a fresh submission_token). The
-- texts are alike on purpose, so each request answers "Es otro caso: enviar ticket"
-- (otro_caso=1); bench/wrk/similar.lua sets SIMILAR_CHECK to send them without it and get the
-- page of Tickets parecidos abiertos instead.
-- BENCH_CSRF: the form's csrfmiddlewaretoken for the session's CSRF cookie.
dofile("bench/wrk/common.lua")

local csrf = urlencode(os.getenv("BENCH_CSRF") or "")
local detail = urlencode(
  "En la pantalla de caja, al emitir la boleta electrónica del paciente Luna, el sistema " ..
  "se queda cargando y luego aparece el mensaje «error inesperado». Ocurrió hoy a media tarde."
)
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function init(args)
  math.randomseed(os.time() * 7919 + (tid or 0))
end

function request()
  counter = counter + 1
  -- Unique per thread and request; random so that runs on the same database never collide.
  local token = string.format(
    "%08x-%04x-4%03x-a%03x-%012x",
    math.random(0, 0x7fffffff), tid or 0, math.random(0, 0xfff), math.random(0, 0xfff), counter
  )
  local body = "csrfmiddlewaretoken=" .. csrf .. "&area=soporte&detail=" .. detail ..
    "&submission_token=" .. token .. (SIMILAR_CHECK and "" or "&otro_caso=1")
  return wrk.format("POST", nil, nil, body)
end
