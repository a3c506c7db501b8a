import type { DreamEvent, Usage } from "@nocturne/core";
import type { OutputStream } from "./cli-io.js";
import { safeText } from "./terminal-text.js";

/** Shows a running dream: a live status line on a terminal, plain timestamped lines otherwise. */
export interface Progress {
  update(event: DreamEvent): void;
  /** A line of its own (a notice, a warning), printed above the live line. */
  note(text: string): void;
  stop(): void;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function elapsed(since: number): string {
  const seconds = Math.floor((Date.now() - since) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

function tokens(count: number): string {
  return count >= 10_000
    ? `${(count / 1000).toFixed(0)}k`
    : count >= 1000
      ? `${(count / 1000).toFixed(1)}k`
      : String(count);
}

/** Creates the progress display for a stream: live when it is a terminal, plain lines otherwise. */
export function createProgress(stream: OutputStream): Progress {
  return stream.isTTY ? liveProgress(stream) : plainProgress(stream);
}

interface State {
  stage: string;
  done: number;
  total: number;
  facts: number;
  written: number;
  usage: Usage;
}

function track(state: State, event: DreamEvent): void {
  if (event.type === "stage") state.stage = event.stage;
  else if (event.type === "chunk") {
    state.done = event.done;
    state.total = event.total;
    state.facts += event.facts;
  } else if (event.type === "memory.written") state.written++;
  else if (event.type === "usage") state.usage = event.usage;
  else if (event.type === "status") state.stage = event.status;
}

function newState(): State {
  return {
    stage: "pending",
    done: 0,
    total: 0,
    facts: 0,
    written: 0,
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function plainProgress(stream: OutputStream): Progress {
  const start = Date.now();
  const state = newState();
  const line = (text: string) => stream.write(`[${elapsed(start)}] ${safeText(text)}\n`);
  return {
    update(event) {
      track(state, event);
      if (event.type === "status") line(`status ${event.status}`);
      else if (event.type === "stage") line(`stage ${event.stage}`);
      else if (event.type === "chunk")
        line(`chunk ${event.done}/${event.total} of ${event.session_id}: ${event.facts} facts`);
      else if (event.type === "memory.written") line(`wrote ${event.path}`);
      else if (event.type === "notice") line(`notice: ${event.message}`);
      else if (event.type === "error") line(`error ${event.error.type}: ${event.error.message}`);
    },
    note: (text) => line(text),
    stop() {
      line(
        `tokens ${state.usage.input_tokens} in / ${state.usage.output_tokens} out · ${state.facts} facts · ${state.written} memories written`,
      );
    },
  };
}

function liveProgress(stream: OutputStream): Progress {
  const start = Date.now();
  const state = newState();
  let frame = 0;
  const render = () => {
    const spin = SPINNER[frame++ % SPINNER.length];
    const chunks = state.total > 0 ? `chunks ${state.done}/${state.total}` : "chunks –";
    const text = `${spin} ${state.stage.padEnd(10)} ${chunks}  facts ${state.facts}  written ${state.written}  tokens ${tokens(state.usage.input_tokens)} in / ${tokens(state.usage.output_tokens)} out  ${elapsed(start)}`;
    const width = stream.columns !== undefined && stream.columns >= 40 ? stream.columns : 120;
    stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
  };
  const timer = setInterval(render, 120);
  timer.unref();
  render();
  return {
    update(event) {
      track(state, event);
      if (event.type === "notice") this.note(`notice: ${event.message}`);
      else if (event.type === "error") this.note(`error ${event.error.type}: ${event.error.message}`);
      else render();
    },
    note(text) {
      stream.write(`\r\x1b[2K${safeText(text)}\n`);
      render();
    },
    stop() {
      clearInterval(timer);
      render();
      stream.write("\n");
    },
  };
}
