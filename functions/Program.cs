using BotSociety.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The BotSociety Functions app: timers drive the society, HTTP functions read and steer it.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddBotSocietyCore();
builder.Build().Run();
