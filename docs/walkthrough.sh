#!/usr/bin/env bash
# A whole pickup at the terminal with curl, against `npm start` (twin devices).
# Usage: bash docs/walkthrough.sh [base-url]   (default http://localhost:8080)
set -euo pipefail
B=${1:-http://localhost:8080}
J='content-type: application/json'
PHONE='+4915100000001'   # the first demo order: an ID card, old document required
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "1. staff look up the demo order's pickup number (the citizen has it from the 'ready' SMS)"
TOKEN=$(curl -sf -X POST "$B/api/staff/login" -H "$J" -d '{"username":"demo","password":"amtomat-demo"}' | field '["token"]')
PN=$(curl -sf "$B/api/staff/orders?status=loaded" -H "authorization: Bearer $TOKEN" \
  | python3 -c "import json,sys; print([o for o in json.load(sys.stdin) if o['phone']=='$PHONE'][0]['pickupNumber'])")
echo "   pickup number: $PN"

echo "2. the citizen inserts a bank card (twin) and the kiosk opens a session"
curl -sf -X POST "$B/api/twin/card/insert" -H "$J" -d '{"label":"alice"}'
S=$(curl -sf -X POST "$B/api/kiosk/session" | field '["sessionId"]')
echo "   session: $S"

echo "3. the citizen types the pickup number; a one-time code goes to the phone"
curl -sf -X POST "$B/api/kiosk/pickup/identify" -H "$J" -d "{\"sessionId\":\"$S\",\"pickupNumber\":\"$PN\"}"; echo

echo "4. read the code from the twin phone's inbox and enter it"
CODE=$(curl -sf "$B/api/twin/sms?to=%2B4915100000001" | python3 -c "import json,sys,re; print(re.search(r'Code: (\d+)', json.load(sys.stdin)[-1]['text']).group(1))")
curl -sf -X POST "$B/api/kiosk/pickup/verify" -H "$J" -d "{\"sessionId\":\"$S\",\"code\":\"$CODE\"}"; echo

echo "5. the intake slot opens; the citizen drops the old ID card"
curl -sf -X POST "$B/api/kiosk/pickup/old-document" -H "$J" -d "{\"sessionId\":\"$S\"}" & WAIT=$!
sleep 1; curl -sf -X POST "$B/api/twin/slots/intake/put"; wait $WAIT; echo

echo "6. the compartment opens"
C=$(curl -sf -X POST "$B/api/kiosk/pickup/open" -H "$J" -d "{\"sessionId\":\"$S\"}" | field '["compartmentId"]')
echo "   compartment $C is open"

echo "7. the citizen takes the new ID card and pushes the door shut"
curl -sf -X POST "$B/api/kiosk/pickup/complete" -H "$J" -d "{\"sessionId\":\"$S\"}" & WAIT=$!
sleep 1; curl -sf -X POST "$B/api/twin/slots/$C/take"; curl -sf -X POST "$B/api/twin/slots/$C/close"; wait $WAIT; echo

echo "8. feedback, and the session ends"
curl -sf -X POST "$B/api/kiosk/feedback" -H "$J" -d "{\"sessionId\":\"$S\",\"context\":\"pickup\",\"rating\":5,\"recommend\":\"yes\"}"
curl -sf -X POST "$B/api/kiosk/session/end" -H "$J" -d "{\"sessionId\":\"$S\"}"
echo "done: see every step with 'npx amtomat events'"
