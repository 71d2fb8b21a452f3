-- POST /soporte/tickets/nuevo with a text alike to the clinic's open tickets (those that
-- create.lua made): the answer is the page of Tickets parecidos abiertos, nothing is created.
SIMILAR_CHECK = true
dofile("bench/wrk/create.lua")
