-- A GET of one page with the session cookie; wrk builds the request once.
dofile("bench/wrk/common.lua")
