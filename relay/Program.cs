using BotSociety.Relay;

// The relay on its own: settings from the environment (Relay__ConnectionString, …) or the command line; the
// listening address from ASPNETCORE_URLS or --urls.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// At Information, ASP.NET Core's request lines would log every client's access_token.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddRelay(builder.Configuration);

var app = builder.Build();
app.MapRelay();

// For health checks of the relay's own container; when devhost mounts the relay, /api/health is the app's.
app.MapGet("/api/health", () => TypedResults.Ok());
app.Run();
