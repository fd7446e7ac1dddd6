using System.Net;
using System.Text.Json;

namespace TaobaoAlliance.Web.Tests.Api;

/// <summary>The app with a per-key limit of a few calls a minute, and the API reference published outside Development.</summary>
public sealed class LowApiLimitApp : AllianceApp
{
    public const int Limit = 5;

    public LowApiLimitApp() => Settings = new Dictionary<string, string?>
    {
        ["RateLimits:ApiCallsPerMinutePerKey"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ApiReference:Public"] = "true",
    };
}

public sealed class ApiLimitsAndReferenceTests(LowApiLimitApp app) : IClassFixture<LowApiLimitApp>
{
    private const string Webmaster1Key = "ta_dev_wm1_7Qf3kP9sLx2VbN4c";
    private const string Webmaster2Key = "ta_dev_wm2_Hc8dR5tYm1ZqW6eJ";

    [Fact]
    public async Task The_call_after_the_limit_in_a_minute_is_a_429_problem_for_that_key_only()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Webmaster1Key);
        var urls = new[] { "/api/v1/reports", "/api/v1/items?zone=1", "/api/v1/feed?zone=1", "/api/v1/me/balance", "/api/v1/reports" };
        for (var i = 0; i < LowApiLimitApp.Limit; i++)
        {
            var response = await client.GetAsync(urls[i % urls.Length]);
            response.StatusCode.Should().NotBe(HttpStatusCode.TooManyRequests, $"call {i + 1} of {LowApiLimitApp.Limit}");
        }

        var over = await client.GetAsync("/api/v1/items?zone=1");

        over.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        over.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        over.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1), "the window is a minute");
        using var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", Webmaster2Key);
        (await other.GetAsync("/api/v1/reports")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_openapi_document_declares_the_key_and_signature_schemes_and_the_error_responses()
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("ApiKey").GetProperty("type").GetString().Should().Be("apiKey");
        schemes.GetProperty("ApiKey").GetProperty("in").GetString().Should().Be("header");
        schemes.GetProperty("ApiKey").GetProperty("name").GetString().Should().Be("X-Api-Key");
        schemes.GetProperty("ShopSignature").GetProperty("name").GetString().Should().Be("X-Alliance-Signature");

        var paths = root.GetProperty("paths");
        var operations = new (string Path, string Method, string[] Errors)[]
        {
            ("/api/v1/items", "get", ["400", "401", "404", "429"]),
            ("/api/v1/links", "post", ["400", "401", "429"]),
            ("/api/v1/reports", "get", ["400", "401", "429"]),
            ("/api/v1/feed", "get", ["400", "401", "404", "429"]),
        };
        foreach (var (path, method, errors) in operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            operation.GetProperty("security").EnumerateArray().Should().Contain(s => s.EnumerateObject().Any(p => p.Name == "ApiKey"), path);
            var responses = operation.GetProperty("responses");
            foreach (var status in errors)
            {
                responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue($"{method} {path} {status}");
            }
        }
        paths.GetProperty("/api/v1/orders/events").GetProperty("post").GetProperty("security").EnumerateArray()
            .Should().Contain(s => s.EnumerateObject().Any(p => p.Name == "ShopSignature"));
    }

    [Fact]
    public async Task The_api_reference_page_is_html_that_loads_nothing_from_another_host()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/api/docs/");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        // Scalar resolves the document against the app's base (what is left of the path without /api/docs/): /openapi/v1.json.
        html.Should().Contain("\"url\":\"openapi/v1.json\"");
        System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"(https?:)?//[^\"]*\"").Should().BeEmpty("the page must work without internet");
        html.Should().NotContain("cdn.jsdelivr").And.NotContain("fonts.scalar.com");
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        script.Should().NotBeEmpty();
        var bundle = await client.GetAsync(new Uri(new Uri("http://localhost/api/docs/"), script));
        bundle.StatusCode.Should().Be(HttpStatusCode.OK, script);
        (await bundle.Content.ReadAsByteArrayAsync()).Length.Should().BeGreaterThan(100_000);
        (await client.GetAsync("/api/docs/scalar.aspnetcore.js")).StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self' 'unsafe-inline'").And.NotContain("http");
    }
}
