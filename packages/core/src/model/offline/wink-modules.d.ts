/** wink's own files, which `wink-model.ts` imports one at a time; nothing is read from them but their exports. */
declare module "wink-eng-lite-web-model/dist/*" {
  const exported: unknown;
  export default exported;
}

declare module "wink-nlp/src/*" {
  const exported: unknown;
  export default exported;
}
