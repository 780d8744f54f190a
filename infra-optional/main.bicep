// BotSociety on Azure: the Functions app on an Elastic Premium plan that scales out, its society in Azure Database for
// PostgreSQL (flexible server), heartbeats fanned out over the Storage queue `heartbeats`, Azure Web PubSub for the
// live stream, and the dashboard as a Static Web App whose /api is the Function App (a linked backend). README.md
// beside this file explains each choice and the deploy.
//
//   az deployment group create -g <group> -f infra-optional/main.bicep -p namePrefix=<3-11 letters> \
//     -p postgresAdminPassword=<password>

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

@description('Most instances the Function App scales out to (the plan\'s maximum burst and the app\'s scale limit). Each instance gets an equal share of the PostgreSQL server\'s connections.')
@minValue(1)
@maxValue(10)
param maximumInstances int = 4

@description('PostgreSQL compute. Burstable B1ms has 35 user connections, B2s 414, B2ms and General Purpose D2ds_v5 844.')
@allowed([
  'Standard_B1ms'
  'Standard_B2s'
  'Standard_B2ms'
  'Standard_D2ds_v5'
])
param postgresSku string = 'Standard_B2s'

@description('PostgreSQL major version.')
@allowed([
  '15'
  '16'
])
param postgresVersion string = '16'

@description('PostgreSQL storage in GiB; it grows by itself when nearly full.')
@allowed([
  32
  64
  128
  256
])
param postgresStorageGb int = 32

@description('The PostgreSQL administrator the app connects as. Not azure_superuser, admin, administrator, root, guest or public, and not starting with pg_.')
param postgresAdminLogin string = 'botsociety'

@description('The PostgreSQL administrator\'s password: 8-128 characters from three of upper case, lower case, digits and symbols.')
@secure()
@minLength(8)
@maxLength(128)
param postgresAdminPassword string

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
var databaseName = 'botsociety'
// The app's queue (Society:Dispatch=queue) and the one the host moves a batch to after host.json's maxDequeueCount.
var heartbeatQueueName = 'heartbeats'
var poisonQueueName = '${heartbeatQueueName}-poison'
// User connections per SKU (Azure reserves 15 of max_connections). Every instance's Npgsql pool gets an equal share
// of them, less 5 for an operator's psql, so a full scale-out cannot run the server out of connections.
var postgresUserConnections = {
  Standard_B1ms: 35
  Standard_B2s: 414
  Standard_B2ms: 844
  Standard_D2ds_v5: 844
}
var poolSizePerInstance = min(100, (postgresUserConnections[postgresSku] - 5) / maximumInstances)

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

// Key access stays on: the Premium plan's content share takes the account key, and AzureWebJobsStorage (timer leases,
// the heartbeat queues) uses the same connection string.
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
    // Recovers the app's content share if it is deleted by mistake.
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

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The Heartbeat timer enqueues batches of due bots here; the queue-triggered function runs them on any instance.
resource heartbeatQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: heartbeatQueueName
}

// Batches that failed maxDequeueCount times; /api/health reports how many wait here.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: poisonQueueName
}

// The society. Public access limited by the firewall rule below; TLS required; password authentication for the app.
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${namePrefix}-pg-${suffix}'
  location: location
  tags: tags
  sku: {
    name: postgresSku
    tier: startsWith(postgresSku, 'Standard_B') ? 'Burstable' : 'GeneralPurpose'
  }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageGb
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0-0.0.0.0 is the service's "allow public access from any Azure service": the Function App's outbound
// addresses are not known before it exists and change with its plan. The server still needs the password.
// The server takes one change at a time (concurrent ones fail with ServerIsBusy), so its children go one by one.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

// On by default for every flexible server; stated here so a redeploy restores it if someone turned it off.
resource requireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
  dependsOn: [
    allowAzureServices
  ]
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

// Elastic Premium: timers that run all the time without cold starts, one always-ready instance, and scale-out up to
// maximumInstances as the heartbeat queue grows. The Heartbeat timer stays a singleton (the host's blob lease).
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
    maximumElasticWorkerCount: maximumInstances
  }
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

// Npgsql reads a quoted value with its quotes doubled, so any password survives (a ';' would otherwise end it).
var postgresConnection = 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${database.name};Username=${postgresAdminLogin};Password="${replace(postgresAdminPassword, '"', '""')}";SSL Mode=Require;Maximum Pool Size=${poolSizePerInstance}'

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
      // One always-ready instance, scale-out to maximumInstances: see the plan.
      minimumElasticInstanceCount: 1
      functionAppScaleLimit: maximumInstances
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: storageConnection }
        { name: 'WEBSITE_CONTENTSHARE', value: contentShare.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'HeartbeatSchedule', value: heartbeatSchedule }
        { name: 'CompressMemorySchedule', value: compressMemorySchedule }
        { name: 'Database__Provider', value: 'postgres' }
        { name: 'Database__ConnectionString', value: postgresConnection }
        { name: 'Society__Dispatch', value: 'queue' }
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

@description('The storage account with the host\'s state and the heartbeats and heartbeats-poison queues.')
output storageAccountName string = storage.name

@description('The PostgreSQL flexible server (backups, restores, psql: DEPLOY.md).')
output postgresServerName string = postgres.name

@description('The PostgreSQL server\'s host name.')
output postgresHostName string = postgres.properties.fullyQualifiedDomainName

@description('The database the society lives in.')
output databaseName string = database.name

@description('Application Insights, where the host and the worker log.')
output applicationInsightsName string = appInsights.name
