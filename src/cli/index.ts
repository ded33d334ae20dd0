#!/usr/bin/env node
/** The `agentos-vm` command. */
import { main } from "./run.ts";

process.exitCode = await main(process.argv.slice(2));
process.exit();
