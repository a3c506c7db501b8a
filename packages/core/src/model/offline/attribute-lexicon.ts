import { categoryByKey, findValues } from "./lexicon.js";
import { tokenize } from "./text-tokens.js";

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

/** Head nouns of a job title ("backend engineer", "PhD student", "nurse"). */
export const ROLE_HEADS = words(`
  engineer developer dev designer manager scientist researcher student lead architect analyst consultant founder
  co-founder cto ceo cfo vp director administrator admin sre programmer intern contractor freelancer owner teacher
  writer maintainer pm nurse doctor physician accountant lawyer illustrator artist photographer journalist editor
  librarian pharmacist therapist chef baker electrician plumber carpenter mechanic pilot translator tester
  recruiter marketer salesperson professor lecturer tutor postdoc economist statistician biologist chemist
  physicist mathematician veterinarian vet dentist paramedic firefighter officer technician specialist coordinator
  ic practitioner surgeon counsellor counselor paralegal nanny caregiver`);

/** Animals a person keeps as pets. */
export const PETS = words(`
  dog dogs cat cats parrot parrots rabbit rabbits hamster hamsters puppy puppies kitten kittens bird birds fish
  goldfish turtle turtles tortoise snake lizard gecko ferret guinea pig pigs horse horses chickens budgie collie
  labrador retriever terrier spaniel poodle beagle dachshund husky corgi greyhound pug bulldog`);

/** Children, as "I have a daughter" names them. */
export const CHILDREN = words("daughter daughters son sons kid kids child children twins baby");

/** People other than the user: "my sister moved to Berlin" is about the sister, not the user. */
export const PERSON_NOUNS = words(`
  sister brother mom mum mother dad father parents wife husband partner friend friends manager boss ceo cto cfo
  colleague colleagues coworker coworkers co-worker cousin son daughter kids kid roommate flatmate neighbour neighbor
  uncle aunt grandma grandpa grandmother grandfather girlfriend boyfriend client clients intern team-mate teammate
  teammates lead landlord doctor teacher family kids children wife's`);

/** Diets ("I'm vegetarian"). */
export const DIETS = words("vegetarian vegan pescatarian pescetarian keto paleo halal kosher carnivore");

/** Conditions a person has ("I'm colorblind"), with the attribute they set. */
export const CONDITIONS = new Map<string, string>([
  ["colorblind", "user.condition"],
  ["colourblind", "user.condition"],
  ["color-blind", "user.condition"],
  ["diabetic", "user.condition"],
  ["deaf", "user.condition"],
  ["dyslexic", "user.condition"],
  ["lactose intolerant", "user.condition"],
  ["coeliac", "user.condition"],
  ["celiac", "user.condition"],
  ["asthmatic", "user.condition"],
  ["epileptic", "user.condition"],
  ["autistic", "user.condition"],
  ["hard of hearing", "user.condition"],
  ["gluten intolerant", "user.condition"],
  ["left-handed", "user.handedness"],
  ["right-handed", "user.handedness"],
  ["married", "user.marital_status"],
  ["divorced", "user.marital_status"],
  ["engaged", "user.marital_status"],
  ["single", "user.marital_status"],
]);

/** Lasting health conditions a person has ("I have asthma"). */
export const HELD_CONDITIONS = words(`
  asthma diabetes epilepsy adhd dyslexia migraines tinnitus eczema arthritis coeliac celiac psoriasis`);

/** Activities a person "does" as a hobby ("I do yoga"). */
export const DO_HOBBIES = words(`
  yoga pilates pottery karate judo crossfit ballet boxing climbing bouldering photography woodworking gardening
  knitting crochet archery fencing taekwondo parkour meditation triathlons marathons`);

/** Languages people speak. */
export const SPOKEN_LANGUAGES = words(`
  english german french spanish portuguese italian dutch polish swedish norwegian danish finnish japanese chinese
  mandarin cantonese korean russian ukrainian turkish arabic hebrew hindi greek czech romanian hungarian vietnamese
  thai indonesian swahili tamil bengali urdu persian farsi catalan basque welsh irish icelandic malay tagalog
  serbian croatian bulgarian slovak slovenian lithuanian latvian estonian punjabi gujarati marathi telugu kannada
  malayalam nepali sinhala yoruba igbo hausa amharic somali zulu xhosa afrikaans galician`);

/** Nationalities ("I'm Dutch"), told apart from names ("I'm Priya"); a spoken language's adjective is one too. */
export const NATIONALITIES = words(`
  american canadian mexican brazilian argentinian argentine chilean colombian peruvian british scottish welsh irish
  australian kiwi indian pakistani nigerian kenyan ghanaian egyptian moroccan ethiopian israeli
  iranian iraqi turkish swiss austrian belgian luxembourgish portuguese spanish italian french german dutch danish
  swedish norwegian finnish icelandic polish czech slovak hungarian romanian bulgarian serbian croatian slovenian
  greek ukrainian russian lithuanian latvian estonian japanese chinese korean vietnamese thai filipino indonesian
  malaysian singaporean taiwanese english`);

/** Capitalised words that describe a group rather than name a person: "I'm Catholic" is no name. */
const GROUP_WORDS = words(`
  european asian african latina latino latinx hispanic arab christian muslim jewish buddhist hindu sikh atheist
  agnostic mormon catholic protestant orthodox republican democrat conservative liberal online offline remote
  autistic neurodivergent introverted extroverted`);
const DESCRIPTIVE_ENDING = /(?:ish|ese|ical|ous|ful|less|able|ible|ual|ist)$/;

/**
 * Whether a capitalised word after "I'm" describes the user (a nationality, faith, group or quality: "Dutch",
 * "Catholic", "Bilingual") rather than names them. "Christian" is read as a faith: precision first.
 */
export function looksDescriptive(word: string): boolean {
  const low = word.toLowerCase();
  return NATIONALITIES.has(low) || GROUP_WORDS.has(low) || (low.length > 4 && DESCRIPTIVE_ENDING.test(low));
}

/** Attributes that hold one value at a time: a newer value replaces the older one. */
const SINGLE_ATTRIBUTES = words(`
  home.location profile.employer profile.role profile.name profile.timezone profile.os profile.pronouns user.diet
  user.age user.birthday user.birthplace user.hometown user.car user.marital_status user.handedness user.work_mode user.study
  user.partner_name user.coffee`);
/** Attributes whose values accumulate (a new member never replaces the others). */
const MULTI_ATTRIBUTES = words(`
  tooling.language user.likes user.dislikes user.hobby user.language user.pet user.allergy user.condition
  user.learning user.child team.member user.preferences`);
/** Last segments of an entity's attributes that are exclusive: `project.atlas.database`, `server.alpha-1.ip_address`. */
const SINGLE_SUFFIXES = words(`
  database runtime language region ip_address version test_framework framework hosting name package_manager
  bundler linter formatter ci cloud cache orchestration port`);

/**
 * Whether an attribute is clearly exclusive: a home city, employer, role, a tool category (editor, test runner,
 * package manager …), a project's database, runtime or region, or a favourite ("user.favourite_band"). Anything
 * else is multi-valued: Nocturne never replaces a value it was not told is exclusive.
 */
export function isSingleValued(attribute: string): boolean {
  if (MULTI_ATTRIBUTES.has(attribute)) return false;
  if (SINGLE_ATTRIBUTES.has(attribute)) return true;
  if (categoryByKey(attribute) !== undefined) return true;
  if (/^user\.(?:favou?rite|preferred)_/.test(attribute) || /^user\.[a-z_]+_(?:name|time)$/.test(attribute))
    return true;
  if (/^user\.[a-z_]+$/.test(attribute)) return false;
  const last = attribute.slice(attribute.lastIndexOf(".") + 1);
  return SINGLE_SUFFIXES.has(last);
}

/** The known tool category a value belongs to ("pnpm" → `tooling.package_manager`), when its first word is one. */
export function valueCategory(value: string): string | undefined {
  const tokens = tokenize(value);
  const hit = findValues(tokens)[0];
  if (hit === undefined || hit.index !== 0) return undefined;
  // "vim keybindings" is about keybindings; "Postgres 16", "Yarn 4" are still the value.
  const rest = tokens.slice(hit.length);
  return rest.every((token) => /^v?\d/.test(token.raw)) ? hit.category.key : undefined;
}
