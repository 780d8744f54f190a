// BotSociety on Azure: the Functions app on an Elastic Premium plan held to one instance, its SQLite file on an Azure
// Files share mounted into the app, Azure Web PubSub for the live stream, and the dashboard as a Static Web App whose
// /api is the Function App (a linked backend). README.md beside this file explains each choice and the deploy.
//
//   az deployment group create -g <group> -f infra-optional/main.bicep -p namePrefix=<3-11 letters>

targetScope = 'resourceGroup'

@description('Region of every resource but the Static Web App.')
param location string = resourceGroup().location

@description('Region of the Static Web App (the service runs in a few regions only).')
@allowed([
  'centralus'
  'eastus2'
  'eastasia'
  'westeurope'
  'westus2'
])
param staticWebAppLocation string = 'westeurope'

@description('Start of every resource name; a suffix unique to the resource group makes the global names unique.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'botsociety'

@description('Web PubSub tier. Free_F1 allows 20 connections and 20,000 messages a day, which a busy society exceeds.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param webPubSubSku string = 'Standard_S1'

@description('The hub dashboards listen on (Realtime__Hub).')
param hubName string = 'society'

@description('NCRONTAB schedule of the Heartbeat timer (HeartbeatSchedule).')
param heartbeatSchedule string = '*/10 * * * * *'

@description('NCRONTAB schedule of memory compression (CompressMemorySchedule).')
param compressMemorySchedule string = '0 0 * * * *'

@description('Seed of every random choice of a new society (Society__Seed).')
param societySeed int = 42

@description('The pace a new society starts at (Society__InitialPace).')
@allowed([
  'paused'
  'slow'
  'normal'
  'fast'
])
param initialPace string = 'normal'

@description('Global daily token cap per bot (Usage__DefaultDailyTokenCap).')
@minValue(1)
param dailyTokenCap int = 100000

@description('Global daily cost cap per bot in US dollars, as text since Bicep has no decimals (Usage__DefaultDailyCostCapUsd).')
param dailyCostCapUsd string = '1.00'

@description('Anthropic API key for bots whose config names the anthropic provider (Models__Anthropic__ApiKey); empty leaves it unavailable.')
@secure()
param anthropicApiKey string = ''

@description('OpenAI (or OpenAI-compatible) API key (Models__OpenAI__ApiKey); empty leaves the openai provider unavailable.')
@secure()
param openAiApiKey string = ''

@description('Brave Search API key for the search action (Search__ApiKey); empty keeps the offline corpus.')
@secure()
param searchApiKey string = ''

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Tags put on every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id)
var storageName = take(toLower('${namePrefix}${suffix}'), 24)
var functionAppName = '${namePrefix}-func-${suffix}'
var contentShareName = toLower(take('${functionAppName}-content', 63))
var dataShareName = 'society-data'
// Where the app sees the data share; the SQLite file lives there.
var dataMountPath = '/mounts/data'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

// Key access stays on: Azure Files mounts and the Premium plan's content share take the account key, and no
// identity-based form exists for either.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Recovers a share deleted by mistake, with the society in it.
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 14
    }
  }
}

resource contentShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: contentShareName
}

resource dataShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: dataShareName
  properties: {
    shareQuota: 100
  }
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: '${namePrefix}-wps-${suffix}'
  location: location
  tags: tags
  sku: {
    name: webPubSubSku
    capacity: 1
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    // The app signs tokens and REST calls with the access key (the connection string), as it does with the relay.
    disableLocalAuth: false
  }
}

// Dashboards only listen, with a token from /api/negotiate; nobody connects without one.
resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    anonymousConnectPolicy: 'deny'
    eventHandlers: []
  }
}

// Elastic Premium, because the app needs a mounted file share for SQLite and timers that run all the time. One
// instance at most: SQLite takes one writer, and the Heartbeat timer must tick once.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: 'EP1'
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 1
  }
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // One always-ready instance and no scale-out: see the plan.
      minimumElasticInstanceCount: 1
      functionAppScaleLimit: 1
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: storageConnection }
        { name: 'WEBSITE_CONTENTSHARE', value: contentShare.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'HeartbeatSchedule', value: heartbeatSchedule }
        { name: 'CompressMemorySchedule', value: compressMemorySchedule }
        { name: 'Database__Path', value: '${dataMountPath}/botsociety.db' }
        { name: 'Society__Seed', value: string(societySeed) }
        { name: 'Society__InitialPace', value: initialPace }
        { name: 'Usage__DefaultDailyTokenCap', value: string(dailyTokenCap) }
        { name: 'Usage__DefaultDailyCostCapUsd', value: dailyCostCapUsd }
        { name: 'Realtime__ConnectionString', value: webPubSub.listKeys().primaryConnectionString }
        { name: 'Realtime__Hub', value: hub.name }
        { name: 'Models__Anthropic__ApiKey', value: anthropicApiKey }
        { name: 'Models__OpenAI__ApiKey', value: openAiApiKey }
        { name: 'Search__Provider', value: empty(searchApiKey) ? 'offline' : 'brave' }
        { name: 'Search__ApiKey', value: searchApiKey }
      ]
    }
  }
}

// The data share, mounted where Database__Path points.
resource storageMounts 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'azurestorageaccounts'
  properties: {
    societydata: {
      type: 'AzureFiles'
      accountName: storage.name
      shareName: dataShare.name
      mountPath: dataMountPath
      accessKey: storage.listKeys().keys[0].value
    }
  }
}

// The dashboard. Standard, because only that plan can link a backend; the Function App, not managed functions,
// is the backend, because managed functions have no timers.
resource staticWebApp 'Microsoft.Web/staticSites@2024-04-01' = {
  name: '${namePrefix}-web-${suffix}'
  location: staticWebAppLocation
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    stagingEnvironmentPolicy: 'Disabled'
    allowConfigFileUpdates: true
  }
}

resource linkedBackend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: staticWebApp
  name: 'functions'
  properties: {
    backendResourceId: functionApp.id
    region: location
  }
}

@description('The Function App: publish the app to it (DEPLOY.md).')
output functionAppName string = functionApp.name

@description('The Function App\'s own host name (behind the Static Web App, which is the address to use).')
output functionAppHostName string = functionApp.properties.defaultHostName

@description('The Static Web App: deploy static-web/dist to it with its deployment token (DEPLOY.md).')
output staticWebAppName string = staticWebApp.name

@description('The dashboard\'s address.')
output dashboardUrl string = 'https://${staticWebApp.properties.defaultHostname}'

@description('Web PubSub\'s host name; dashboards connect to it with the token /api/negotiate hands out.')
output webPubSubHostName string = webPubSub.properties.hostName

@description('The storage account that holds the data share (the SQLite file) and the host\'s state.')
output storageAccountName string = storage.name

@description('The file share with the SQLite file, mounted at /mounts/data.')
output dataShareName string = dataShare.name

@description('Application Insights, where the host and the worker log.')
output applicationInsightsName string = appInsights.name
