import { SERVER_ADDRESS, SERVER_COUNT, serverAddress, serverNewAddress } from "../family-vocabulary.js";
import type { TruthSubject } from "../ground-truth.js";
import { observation, type Statement } from "../truth-builder.js";
import { FamilyKit, type FamilyOptions, type FamilyScenario, type MemoryLine } from "./kit.js";

const SESSIONS = 4;
const IN_STORE = 200;
const PER_MEMORY = 20;

/**
 * Same-template facts about distinct entities: "Server alpha-N has IP address 10.0.x.y" for N = 1…300. Servers 1–200
 * are in the input store (ten memories of twenty lines), 201–300 are introduced in four sessions in the same template,
 * and the sessions restate some and re-address a few. Every server must survive with its own current address.
 */
export function distinctEntitiesFamily(options: FamilyOptions): FamilyScenario {
  const kit = new FamilyKit("distinct-entities", options);
  const random = kit.random.fork("plan");
  const server = (n: number): TruthSubject => kit.builder.subject(`alpha-${n}`, SERVER_ADDRESS);
  for (let first = 1; first <= IN_STORE; first += PER_MEMORY) {
    const lines: MemoryLine[] = [];
    for (let n = first; n < first + PER_MEMORY; n++) lines.push(kit.line(server(n), serverAddress(n)));
    kit.memory(`/infrastructure/servers-rack-${String((first - 1) / PER_MEMORY + 1).padStart(2, "0")}.md`, lines);
  }
  const perSession = Math.ceil((SERVER_COUNT - IN_STORE) / SESSIONS);
  const changed = new Set<number>();
  for (let s = 0; s < SESSIONS; s++) {
    const date = kit.nextDate();
    const statements: Statement[] = [];
    const touched = new Set<number>();
    const firstNew = IN_STORE + 1 + s * perSession;
    for (let n = firstNew; n < firstNew + perSession && n <= SERVER_COUNT; n++) {
      touched.add(n);
      const subject = server(n);
      const sentence = random.chance(0.7)
        ? SERVER_ADDRESS.canonical(subject.entity ?? "", serverAddress(n))
        : random.pick(SERVER_ADDRESS.wordings)(subject.entity ?? "", serverAddress(n));
      statements.push(observation(kit.builder, subject, serverAddress(n), "introduce", sentence, "user"));
    }
    for (let k = 0; k < 3; k++) {
      const n = random.int(1, IN_STORE);
      if (changed.has(n) || touched.has(n)) continue;
      changed.add(n);
      touched.add(n);
      statements.push(kit.change(server(n), serverNewAddress(n), date));
    }
    for (let k = 0; k < 8; k++) {
      const n = random.int(1, firstNew - 1);
      if (touched.has(n)) continue;
      touched.add(n);
      statements.push(kit.say(server(n), server(n).current, "restate", random.chance(0.3) ? "agent" : "user"));
    }
    kit.session(statements);
  }
  return kit.finish(
    `${SERVER_COUNT} servers in one template ("Server alpha-N has IP address …"): ${IN_STORE} in the store, the rest introduced over ${SESSIONS} sessions × ${Math.round(options.tokensPerSession / 1000)}k tokens with restatements and re-addressing, perfect replay, seed ${options.seed}`,
  );
}
