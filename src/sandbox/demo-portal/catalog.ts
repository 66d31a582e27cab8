/**
 * Fixed content of the demo portal: call outcomes, pipelines, and the word pools records are made
 * from. Pools are shared strings, so a million records cost pointers, not copies.
 */

/** HubSpot's default call outcome GUIDs (hubspot-platform.md §5.2). */
export const DISPOSITION = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  leftLiveMessage: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  leftVoicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  noAnswer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrongNumber: '17b47fee-58de-441e-a44c-c6300d46f273',
  // Custom outcomes this portal created. The " connected " one was recreated by an admin with stray
  // spaces; METRICS.md matches labels case-insensitively and trimmed, so it counts as connected.
  gatekeeper: '5d1c7a3e-2f4b-4c8e-9a61-3e7b0c9d2a14',
  notInterested: '8e2f4b6a-1c3d-4e5f-8a7b-9c0d1e2f3a4b',
  meetingBooked: 'c3a9e7d1-5b2f-4a8c-b6d4-0e1f2a3b4c5d',
  customConnected: '0b7e5c3a-9d1f-4e2a-8c6b-4a2d0f8e6c19',
} as const;

/** The portal's call outcome list, as the dispositions endpoint returns it. */
export const CALL_DISPOSITIONS: ReadonlyArray<{ id: string; label: string }> = [
  { id: DISPOSITION.busy, label: 'Busy' },
  { id: DISPOSITION.connected, label: 'Connected' },
  { id: DISPOSITION.leftLiveMessage, label: 'Left live message' },
  { id: DISPOSITION.leftVoicemail, label: 'Left voicemail' },
  { id: DISPOSITION.noAnswer, label: 'No answer' },
  { id: DISPOSITION.wrongNumber, label: 'Wrong number' },
  { id: DISPOSITION.gatekeeper, label: 'Gatekeeper' },
  { id: DISPOSITION.notInterested, label: 'Not interested' },
  { id: DISPOSITION.meetingBooked, label: 'Meeting booked' },
  { id: DISPOSITION.customConnected, label: ' connected ' },
];

/** Outcomes of dials that did not connect, with their relative frequency. */
export const NOT_CONNECTED_OUTCOMES: ReadonlyArray<readonly [string, number]> = [
  [DISPOSITION.noAnswer, 40],
  [DISPOSITION.leftVoicemail, 30],
  [DISPOSITION.gatekeeper, 9],
  [DISPOSITION.busy, 6],
  [DISPOSITION.leftLiveMessage, 5],
  [DISPOSITION.wrongNumber, 4],
  [DISPOSITION.notInterested, 3],
  [DISPOSITION.meetingBooked, 1],
];

/** Stage ids of HubSpot's default sales pipeline, in order. */
export const SALES_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
] as const;
/** A stage id of the sales pipeline. */
export type SalesStage = (typeof SALES_STAGES)[number];

/** Post-sale pipeline: custom numeric ids, as HubSpot assigns them to custom pipelines. */
export const ONBOARDING_PIPELINE_ID = '75211345';
/** Handoff, Kickoff, First value, Live (closed). */
export const ONBOARDING_STAGES = ['75211346', '75211347', '75211348', '75211349'] as const;

interface StageDef {
  id: string;
  label: string;
  probability: string;
  isClosed: boolean;
}

const SALES_STAGE_DEFS: StageDef[] = [
  { id: 'appointmentscheduled', label: 'Appointment scheduled', probability: '0.2', isClosed: false },
  { id: 'qualifiedtobuy', label: 'Qualified to buy', probability: '0.4', isClosed: false },
  { id: 'presentationscheduled', label: 'Presentation scheduled', probability: '0.6', isClosed: false },
  { id: 'decisionmakerboughtin', label: 'Decision maker bought-in', probability: '0.8', isClosed: false },
  { id: 'contractsent', label: 'Contract sent', probability: '0.9', isClosed: false },
  { id: 'closedwon', label: 'Closed won', probability: '1.0', isClosed: true },
  { id: 'closedlost', label: 'Closed lost', probability: '0.0', isClosed: true },
];

const ONBOARDING_STAGE_DEFS: StageDef[] = [
  { id: ONBOARDING_STAGES[0], label: 'Handoff', probability: '0.25', isClosed: false },
  { id: ONBOARDING_STAGES[1], label: 'Kickoff', probability: '0.5', isClosed: false },
  { id: ONBOARDING_STAGES[2], label: 'First value', probability: '0.75', isClosed: false },
  { id: ONBOARDING_STAGES[3], label: 'Live', probability: '1.0', isClosed: true },
];

/** Stage probability (as HubSpot's string) by stage id, over both pipelines. */
export const STAGE_PROBABILITY: ReadonlyMap<string, string> = new Map(
  [...SALES_STAGE_DEFS, ...ONBOARDING_STAGE_DEFS].map((s) => [s.id, s.probability]),
);

function pipeline(id: string, label: string, displayOrder: number, stages: StageDef[]) {
  return {
    id,
    label,
    displayOrder,
    archived: false,
    stages: stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: i,
      metadata: { probability: s.probability, isClosed: String(s.isClosed) },
      archived: false,
    })),
  };
}

/** The portal's deal pipelines, as the pipelines endpoint returns them. */
export function dealPipelines() {
  return [
    pipeline('default', 'Sales Pipeline', 0, SALES_STAGE_DEFS),
    pipeline(ONBOARDING_PIPELINE_ID, 'Onboarding', 1, ONBOARDING_STAGE_DEFS),
  ];
}

/** Contact first names. */
// prettier-ignore
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen',
  'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley',
  'Paul', 'Kimberly', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Brian', 'Amanda',
  'Wei', 'Mei', 'Raj', 'Anjali', 'Carlos', 'Lucia', 'Ahmed', 'Fatima', 'Yuki', 'Hiro',
  'Olga', 'Ivan', 'Noah', 'Emma', 'Liam', 'Ava', 'Mateo', 'Camila', 'Kwame', 'Amara',
];

/** Contact last names. */
// prettier-ignore
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Chen', 'Patel', 'Kowalski', 'Schmidt', 'Tanaka', 'Silva', 'Mensah', 'Ivanova', 'Murphy', 'Sullivan',
];

/** First words of company names. */
// prettier-ignore
export const COMPANY_PREFIXES = [
  'Northwind', 'Bluepeak', 'Cedar', 'Harbor', 'Summit', 'Ironwood', 'Brightline', 'Redfield', 'Granite',
  'Silverlake', 'Oakridge', 'Clearwater', 'Falcon', 'Lakeshore', 'Meridian', 'Pinecrest', 'Riverside',
  'Stonegate', 'Westbrook', 'Evergreen', 'Copperleaf', 'Highland', 'Keystone', 'Lighthouse', 'Maple',
  'Orchard', 'Pioneer', 'Quarry', 'Sterling', 'Trident', 'Upland', 'Vantage', 'Willow', 'Apex', 'Beacon',
  'Crescent', 'Driftwood', 'Elmstead', 'Foxglove', 'Goldcrest',
];

/** Company name endings with the HubSpot industry value they imply. */
export const COMPANY_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['Logistics', 'TRANSPORTATION_TRUCKING_RAILROAD'],
  ['Health', 'HOSPITAL_HEALTH_CARE'],
  ['Software', 'COMPUTER_SOFTWARE'],
  ['Capital', 'FINANCIAL_SERVICES'],
  ['Manufacturing', 'INDUSTRIAL_AUTOMATION'],
  ['Foods', 'FOOD_PRODUCTION'],
  ['Energy', 'RENEWABLES_ENVIRONMENT'],
  ['Analytics', 'INFORMATION_TECHNOLOGY_AND_SERVICES'],
  ['Retail', 'RETAIL'],
  ['Insurance', 'INSURANCE'],
  ['Labs', 'BIOTECHNOLOGY'],
  ['Systems', 'COMPUTER_SOFTWARE'],
  ['Partners', 'MANAGEMENT_CONSULTING'],
  ['Construction', 'CONSTRUCTION'],
  ['Media', 'MARKETING_AND_ADVERTISING'],
  ['Telecom', 'TELECOMMUNICATIONS'],
];

/** Company locations: city and state. */
// prettier-ignore
export const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['Boston', 'MA'], ['New York', 'NY'], ['Philadelphia', 'PA'], ['Atlanta', 'GA'], ['Miami', 'FL'],
  ['Charlotte', 'NC'], ['Chicago', 'IL'], ['Austin', 'TX'], ['Denver', 'CO'], ['Seattle', 'WA'],
  ['San Francisco', 'CA'], ['Los Angeles', 'CA'], ['Portland', 'OR'], ['Phoenix', 'AZ'], ['San Diego', 'CA'],
];

/** Job titles with the buying role HubSpot users typically tag them with ('' = not set). */
export const JOB_TITLES: ReadonlyArray<readonly [string, string]> = [
  ['VP of Sales', 'DECISION_MAKER'],
  ['Chief Revenue Officer', 'DECISION_MAKER'],
  ['CFO', 'BUDGET_HOLDER'],
  ['Head of Finance', 'BUDGET_HOLDER'],
  ['Director of Operations', 'CHAMPION'],
  ['Sales Operations Manager', 'CHAMPION'],
  ['RevOps Lead', 'CHAMPION'],
  ['IT Director', 'INFLUENCER'],
  ['Procurement Manager', 'INFLUENCER'],
  ['Sales Manager', 'END_USER'],
  ['Account Executive', 'END_USER'],
  ['Marketing Manager', ''],
  ['Office Manager', ''],
  ['Chief Executive Officer', 'EXECUTIVE_SPONSOR'],
  ['Legal Counsel', 'LEGAL_AND_COMPLIANCE'],
  ['Business Analyst', ''],
];

/** What new-business deals are named after. */
export const PRODUCTS = [
  'Platform',
  'Analytics Suite',
  'Team licenses',
  'Annual plan',
  'Pilot',
  'Enterprise',
];

/** Titles of outbound calls. */
export const CALL_TITLES = [
  'Cold call',
  'Discovery call',
  'Follow-up call',
  'Intro call',
  'Check-in call',
  'Pricing call',
  'Callback',
];

/** Titles of inbound calls. */
export const INBOUND_CALL_TITLES = ['Inbound call', 'Returned call', 'Support question'];

/** Subjects of emails reps send. */
export const EMAIL_SUBJECTS = [
  'Quick question',
  'Following up',
  'Next steps',
  'Proposal attached',
  'Pricing for your team',
  'Case study you asked for',
  'Time for a quick call?',
  'Recap of our conversation',
  'Agenda for Thursday',
  'Contract redlines',
];

/** Subjects of replies and incoming emails. */
export const INCOMING_EMAIL_SUBJECTS = [
  'Re: Quick question',
  'Re: Following up',
  'Re: Next steps',
  'Re: Proposal attached',
  'Re: Pricing for your team',
  'Question about onboarding',
];

/** Titles of new-business meetings. */
export const MEETING_TITLES = [
  'Discovery call',
  'Product demo',
  'Pricing review',
  'Technical deep dive',
  'Intro meeting',
  'Stakeholder alignment',
  'Contract walkthrough',
];

/** Titles of account-management meetings. */
export const AM_MEETING_TITLES = [
  'Kickoff',
  'Quarterly business review',
  'Onboarding check-in',
  'Renewal review',
];

/** Short note bodies, as reps write them. */
export const NOTE_BODIES = [
  'Left voicemail, will try again Thursday morning.',
  'Spoke with the CFO: budget is approved for next quarter.',
  'Champion is keen but needs IT sign-off before the demo.',
  'Asked for a case study from a company their size.',
  'Competitor is in the deal; they like our reporting better.',
  'Decision pushed to next month, board meeting moved.',
  'Gatekeeper says to email instead of calling.',
  'Great demo. Next: security questionnaire.',
  'Procurement wants a 3-year term with a discount.',
  'Not a fit right now, revisit in six months.',
  'Intro from an existing customer, warm lead.',
  'Needs SSO and audit logs; confirmed both.',
  'Pricing feels high; proposed a smaller pilot.',
  'Legal review of the MSA started.',
  'Kickoff done; first dashboard live next week.',
];

/** Task subjects with their HubSpot task type. */
export const TASK_SUBJECTS: ReadonlyArray<readonly [string, string]> = [
  ['Follow up', 'CALL'],
  ['Send proposal', 'EMAIL'],
  ['Follow up on proposal', 'EMAIL'],
  ['Call back', 'CALL'],
  ['Send case study', 'EMAIL'],
  ['Book demo', 'CALL'],
  ['Update close date', 'TODO'],
  ['Prepare QBR deck', 'TODO'],
  ['Confirm decision maker', 'CALL'],
  ['Send contract', 'EMAIL'],
];

/** Tasks of the sales-ops admin. */
export const OPS_TASK_SUBJECTS: ReadonlyArray<readonly [string, string]> = [
  ['Merge duplicate contacts', 'TODO'],
  ['Fix missing close dates', 'TODO'],
  ['Review pipeline hygiene report', 'TODO'],
];

/** Task priorities, weighted by repetition. */
export const TASK_PRIORITIES = ['LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'NONE'];
