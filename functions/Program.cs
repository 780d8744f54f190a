using BotSociety.Core;
using BotSociety.Core.Data;
using BotSociety.Functions.Api;
using BotSociety.Functions.OpenApi;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The BotSociety Functions app: timers drive the society, HTTP functions read and steer it.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The gates first: a write from another site's page is refused (403), then a body too large or not JSON (413, 415),
// before any function reads it; their answers are final. Then a write with an Idempotency-Key that was answered before
// gets that answer again (IdempotencyGate).
// Outermost, so that whatever throws below becomes problem details without the exception's text.
builder.UseMiddleware<FaultAnswers>();
builder.UseMiddleware<CrossSiteWriteGate>();
builder.UseMiddleware<RequestBodyGate>();
builder.UseMiddleware<IdempotencyGate>();
builder.UseMiddleware<HttpResultMiddleware>();
builder.AddBotSocietyCore();
builder.Services.AddSingleton<OpenApiDocumentProvider>();
var app = builder.Build();

// Check every setting, then migrate and seed, before the worker connects to its host: a wrong setting must
// stop the app before it touches the database, and the host invokes functions as soon as they are loaded,
// so an invocation must never find a database without its tables or its bots.
try
{
    app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
    await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
}
catch (Exception e) when (StartupRefusal.Describe(e) is { } refusal)
{
    Console.Error.WriteLine($"BotSociety cannot start: {refusal}");
    return 1;
}

await app.RunAsync();
return 0;
