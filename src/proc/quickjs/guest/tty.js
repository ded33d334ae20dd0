// node:tty

const stream = require("stream");
module.exports = {
  isatty: (fd) => stream._isatty(fd),
  ReadStream: stream._FdReadable,
  WriteStream: stream._FdWritable,
};
