// Test helpers: import from '@luneo/models/testing', never from production code.
export {
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions,
  type RecordedRequest,
} from './fake-openai.js'
export {
  DATASETS_DIR,
  hasDataset,
  loadDataset,
  missingDataset,
  splitIntents,
  type DatasetName,
  type Labelled,
  type LabelledDataset,
} from './datasets.js'
export { FAQ_PHRASINGS, faqDocument, faqTitle } from './faq.js'
