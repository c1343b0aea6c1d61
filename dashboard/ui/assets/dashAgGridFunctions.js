/* Value formatters for dash-ag-grid (called by name from columnDefs' {"function": ...}). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

var MONEY_SYMBOLS = {USD: "$", EUR: "€", GBP: "£", JPY: "¥", INR: "₹"};

function moneyText(amount, code) {
  var symbol = MONEY_SYMBOLS[code];
  var number = Math.round(amount).toLocaleString("en-US");
  return symbol ? (amount < 0 ? "-" + symbol + number.slice(1) : symbol + number) : code + " " + number;
}

/* A business value in its own currency, a range with both bounds; "—" when none was read. */
dagfuncs.moneyCell = function (params) {
  if (params.value == null) { return "—"; }
  var code = (params.data && params.data.business_value_currency) || "USD";
  var upper = params.data && params.data.business_value_upper;
  return moneyText(params.value, code) + (upper != null ? "–" + moneyText(upper, code).replace(/^[^\d-]+/, "") : "");
};
