// Test helpers: import from '@luneo/models/testing', never from production code.
export {
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions,
  type RecordedRequest,
} from './fake-openai.js'
