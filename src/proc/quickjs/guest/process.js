module.exports = require("internal").process;
