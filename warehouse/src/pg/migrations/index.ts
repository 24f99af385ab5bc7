import type { Migration } from 'kysely'
import * as m0001 from './0001_initial.js'
import * as m0002 from './0002_engine.js'
import * as m0003 from './0003_pipelines.js'
import * as m0004 from './0004_document_questions.js'
import * as m0005 from './0005_prompt_version_style.js'
import * as m0006 from './0006_knowledge_versions.js'
import * as m0007 from './0007_gap_embedder.js'
import * as m0008 from './0008_onboarding.js'
import * as m0009 from './0009_organization_locale.js'
import * as m0010 from './0010_api_key_expiry.js'
import * as m0011 from './0011_widget_spend.js'
import * as m0012 from './0012_email_verified.js'
import * as m0013 from './0013_sso.js'
import * as m0014 from './0014_email.js'
import * as m0015 from './0015_retention.js'
import * as m0016 from './0016_gap_incremental.js'
import * as m0017 from './0017_contact_phone_index.js'

/** Every Postgres migration, in order. Add a file and a line here; never edit an applied one. */
export const pgMigrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_engine': m0002,
  '0003_pipelines': m0003,
  '0004_document_questions': m0004,
  '0005_prompt_version_style': m0005,
  '0006_knowledge_versions': m0006,
  '0007_gap_embedder': m0007,
  '0008_onboarding': m0008,
  '0009_organization_locale': m0009,
  '0010_api_key_expiry': m0010,
  '0011_widget_spend': m0011,
  '0012_email_verified': m0012,
  '0013_sso': m0013,
  '0014_email': m0014,
  '0015_retention': m0015,
  '0016_gap_incremental': m0016,
  '0017_contact_phone_index': m0017,
}
