using System.Net;

namespace BotSociety.Functions.Tests.Contract;

/// <summary>
/// Sits in the end-to-end suite's HttpClient and holds every API answer to the OpenAPI document: an undocumented
/// route or status, or a body that does not match its schema, fails the test that made the call, naming why.
/// Requests the API accepted (2xx) must match their documented body too, so the document cannot describe
/// fields the code does not read.
/// </summary>
internal sealed class ContractCheckingHandler(Func<ApiContract> contract) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal) || IsDocumentation(path))
        {
            return response;
        }

        // Read the body once and put it back, so the test still reads it.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = response.Content.Headers.ToList();
        response.Content = new StringContent(body);
        response.Content.Headers.Clear();
        foreach (var (name, values) in headers)
        {
            response.Content.Headers.TryAddWithoutValidation(name, values);
        }

        var checker = contract();
        var found = checker.Find(request.Method.Method, path);
        string? problem;
        if (found is not { } match)
        {
            // devhost's own 404/405 for a route no function has is not an API answer.
            problem = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed ? null : "no operation in the document has this route";
        }
        else
        {
            problem = checker.CheckResponse(match.Operation, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
            if (problem is null && response.IsSuccessStatusCode && requestBody.Length > 0)
            {
                problem = checker.CheckRequest(match.Operation, requestBody);
            }
        }

        if (problem is not null)
        {
            throw new ContractViolationException($"{request.Method} {request.RequestUri.PathAndQuery} → {(int)response.StatusCode}: {problem}");
        }

        return response;
    }

    private static bool IsDocumentation(string path) =>
        path.StartsWith("/api/openapi/", StringComparison.Ordinal) || path.StartsWith("/api/swagger", StringComparison.Ordinal);
}

/// <summary>An answer that breaks the OpenAPI document.</summary>
internal sealed class ContractViolationException(string message) : Exception(message);
