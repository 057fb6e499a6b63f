/** Synthesizes the consumer app (cdk-nag included) and prints each pipeline's names as JSON. */
import type { OnePasswordEventsPipeline } from 'onepassword-events-to-s3';
import { buildConsumerApp } from './app';

const { app, audit, access, archive } = buildConsumerApp();
const assembly = app.synth();
const names = (pipeline: OnePasswordEventsPipeline) => ({
  namePrefix: pipeline.namePrefix,
  glueDatabaseName: pipeline.glueDatabaseName,
  eventTypes: pipeline.eventTypes,
});
console.log(
  JSON.stringify({
    outdir: assembly.directory,
    audit: names(audit),
    access: names(access),
    archive: names(archive),
  }),
);
