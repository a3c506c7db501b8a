import { CODING_ATTRIBUTES } from "./coding-vocabulary.js";
import {
  FAMILY_PROJECT_ATTRIBUTES,
  RELATIONS,
  SERVER_ADDRESS,
  TEAM_MEMBERS,
  USER_SET_ATTRIBUTES,
} from "./family-vocabulary.js";
import { type AttributeDef, PROJECT_ATTRIBUTES, USER_ATTRIBUTES } from "./vocabulary.js";

/** Attributes of the user (entity-less subjects), base and family. */
export const ALL_USER_ATTRIBUTES: readonly AttributeDef[] = [...USER_ATTRIBUTES, ...USER_SET_ATTRIBUTES];

/** Attributes of an entity (project, person, server), base and family. */
export const ALL_ENTITY_ATTRIBUTES: readonly AttributeDef[] = [
  ...PROJECT_ATTRIBUTES,
  ...FAMILY_PROJECT_ATTRIBUTES,
  TEAM_MEMBERS,
  ...RELATIONS,
  SERVER_ADDRESS,
  ...CODING_ATTRIBUTES,
];

const BY_ID = new Map<string, AttributeDef>();
for (const attribute of [...ALL_USER_ATTRIBUTES, ...ALL_ENTITY_ATTRIBUTES]) {
  if (BY_ID.has(attribute.id)) throw new Error(`duplicate attribute id ${attribute.id}`);
  BY_ID.set(attribute.id, attribute);
}

/** The attribute with this id, from any vocabulary. Throws for an unknown id. */
export function attributeById(id: string): AttributeDef {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown attribute ${id}`);
  return found;
}

/** An entity's slug, as used in keys and paths: `Atlas-17` → `atlas-17`. */
export function slugOf(entity: string): string {
  return entity.toLowerCase();
}

/** The subject key of an attribute of an entity, or of the user when `entity` is null. */
export function subjectKeyOf(entity: string | null, attribute: string): string {
  if (entity === null) return `user.${attribute}`;
  const namespace = BY_ID.get(attribute)?.namespace ?? "projects";
  return `${namespace}.${slugOf(entity)}.${attribute}`;
}

/** The topic (memory file) a subject belongs in. */
export function topicOf(entity: string | null, attribute: AttributeDef): string {
  if (attribute.topic) return attribute.topic;
  if (entity !== null) return `projects/${slugOf(entity)}`;
  return attribute.kind === "preference" ? "preferences" : "profile";
}

/** The phrase that names a subject in a sentence: null for the user, else the attribute's anchor or the entity. */
export function anchorOf(entity: string | null, attribute: AttributeDef): string | null {
  if (entity === null) return null;
  return attribute.anchor ? attribute.anchor(entity) : entity;
}
