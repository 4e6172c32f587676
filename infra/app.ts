import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { FinewsStack } from './finews-stack.ts'
import { readSettings } from './settings.ts'

const app = new App()
new FinewsStack(app, 'Finews', {
  settings: readSettings(app.node),
  description: 'finews: syndication pipeline (upload API, feeds, share pages) behind one CloudFront distribution',
})
// cdk-nag AwsSolutions runs at every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
