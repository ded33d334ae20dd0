// node:module

module.exports = require("internal").Module;
