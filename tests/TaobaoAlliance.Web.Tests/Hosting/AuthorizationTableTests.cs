using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TaobaoAlliance.Web.Tests.Hosting;

/// <summary>
/// One table of who may reach every route of the app. The test reads the routes from the running
/// app, so a new page or endpoint that is not in the table fails it until someone decides who may use it.
/// </summary>
public sealed partial class AuthorizationTableTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    public enum Access { Public, SignedIn, Buyer, Webmaster, Seller, Admin, ApiKey, Signature, AdminApi }

    /// <summary>Route prefix (as the app writes it) → who may use it. Longest prefix wins.</summary>
    private static readonly (string Prefix, Access Access)[] Table =
    [
        ("", Access.Public), ("Index", Access.Public), ("Error", Access.Public), ("item/", Access.Public),
        ("Account/SignIn", Access.Public), ("Account/SignUp", Access.Public), ("Account/AccessDenied", Access.Public),
        ("Account/ForgotPassword", Access.Public), ("Account/ResetPassword", Access.Public),
        ("Account/ConfirmEmail", Access.Public), ("Account/TwoFactorSignIn", Access.Public), ("Account/TwoFactor", Access.SignedIn),
        ("Account/ChangePassword", Access.SignedIn), ("Account/ChangeEmail", Access.SignedIn),
        ("Account/Profile", Access.SignedIn), ("Account/SignOut", Access.SignedIn), ("Account/Delete", Access.SignedIn),
        ("Account/AcceptInvite", Access.Public), ("Notifications", Access.SignedIn),
        ("c", Access.Public), ("c/", Access.Public), ("z/", Access.Public), ("culture", Access.Public), ("health", Access.Public),
        ("openapi/", Access.Public),
        ("cart", Access.Buyer), ("orders", Access.Buyer),
        ("Webmaster", Access.Webmaster), ("Seller", Access.Seller), ("Admin", Access.Admin),
        ("api/v1/me/", Access.ApiKey), ("api/v1/items", Access.ApiKey), ("api/v1/links", Access.ApiKey),
        ("api/v1/feed", Access.ApiKey), ("api/v1/reports", Access.ApiKey), ("api/docs", Access.Public), ("api/docs/", Access.Public), ("api/v1/orders/events", Access.Signature), ("api/v1/shops/", Access.Signature),
        ("api/v1/admin/", Access.AdminApi),
    ];

    private static readonly Dictionary<Access, (string Email, string Password)?> Accounts = new()
    {
        [Access.Buyer] = ("buyer@taobaoalliance.local", "Buyer!demo1"),
        [Access.Webmaster] = ("webmaster1@taobaoalliance.local", "Webmaster1!demo"),
        [Access.Seller] = ("seller1@taobaoalliance.local", "Seller1!demo"),
        [Access.Admin] = ("admin@taobaoalliance.local", "Admin!2026demo"),
    };

    private static Access? Rule(string route)
    {
        var match = Table.Where(t => route == t.Prefix || (t.Prefix.Length > 0 && (route.StartsWith(t.Prefix, StringComparison.Ordinal)
                && (t.Prefix.EndsWith('/') || route.Length == t.Prefix.Length || route[t.Prefix.Length] == '/'))))
            .OrderByDescending(t => t.Prefix.Length).Select(t => (Access?)t.Access).FirstOrDefault();
        return match;
    }

    private List<(string Route, string Method)> Routes() =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Route: e.RoutePattern.RawText!.TrimStart('/'), Method: m)))
            .Distinct()
            .OrderBy(r => r.Route, StringComparer.Ordinal)];

    [Fact]
    public void Every_route_of_the_app_is_in_the_authorization_table()
    {
        var missing = Routes().Where(r => Rule(r.Route) is null).Select(r => $"{r.Method} /{r.Route}").ToList();

        missing.Should().BeEmpty("every page and endpoint needs a decision on who may use it (add it to the table)");
    }

    [Fact]
    public async Task Anonymous_users_are_sent_to_sign_in_or_refused_everywhere_but_the_public_routes()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var (route, method) in Routes().Where(r => r.Method == "GET"))
        {
            var access = Rule(route)!.Value;
            var response = await client.GetAsync(Sample(route));
            var what = $"GET /{route} ({access})";
            if (route == "Account/AccessDenied")
            {
                response.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the access-denied page says so in its status too");
            }
            else if (access == Access.Public)
            {
                IsRefusal(response).Should().BeFalse(what);
            }
            else if (access is Access.ApiKey or Access.AdminApi)
            {
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, what);
            }
            else
            {
                response.StatusCode.Should().Be(HttpStatusCode.Redirect, what);
                response.Headers.Location!.OriginalString.Should().Contain("/Account/SignIn", what);
            }
        }
    }

    [Theory]
    [InlineData(Access.Buyer)]
    [InlineData(Access.Webmaster)]
    [InlineData(Access.Seller)]
    [InlineData(Access.Admin)]
    public async Task Each_role_reaches_its_own_pages_and_is_refused_the_others(Access role)
    {
        using var session = new BrowserSession(app);
        var (email, password) = Accounts[role]!.Value;
        await session.SignInAsync(email, password);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("Cookie", $"alliance_auth={session.Cookie("alliance_auth")}");

        foreach (var (route, _) in Routes().Where(r => r.Method == "GET"))
        {
            var access = Rule(route)!.Value;
            if (access is Access.Public or Access.ApiKey or Access.Signature) continue;
            var response = await client.GetAsync(Sample(route));
            var allowed = access == Access.SignedIn || access == role || (access == Access.AdminApi && role == Access.Admin);
            IsRefusal(response).Should().Be(!allowed, $"GET /{route} ({access}) as {role}: {(int)response.StatusCode} {response.Headers.Location}");
            if (allowed && response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'", route);
                response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], route);
            }
        }
    }

    [Theory]
    [InlineData(Access.Buyer)]
    [InlineData(Access.Webmaster)]
    [InlineData(Access.Admin)]
    public async Task Every_page_refuses_a_form_post_without_the_antiforgery_token(Access role)
    {
        using var session = new BrowserSession(app);
        var (email, password) = Accounts[role]!.Value;
        await session.SignInAsync(email, password);
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            // The error page renders for any failed request, POSTs included, so it takes no token.
            .Where(route => route != "Error" && Rule(route) is { } access && (access is Access.Public or Access.SignedIn || access == role))
            .Distinct().ToList();
        pages.Should().NotBeEmpty();

        foreach (var route in pages)
        {
            var response = await session.PostRawAsync(Sample(route), [new("anything", "1")]);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"POST /{route} without a token as {role}");
        }
    }

    /// <summary>Turns a route template into a URL: ids are 1 (the demo data's first site, order, …), other values "x".</summary>
    private static string Sample(string route) => "/" + Parameter().Replace(route, m => m.Groups[1].Value.Contains("long", StringComparison.Ordinal)
        || m.Groups[1].Value.Contains("int", StringComparison.Ordinal) || m.Groups[1].Value.EndsWith("Id", StringComparison.Ordinal) ? "1"
        : m.Groups[1].Value.StartsWith("documentName", StringComparison.Ordinal) ? "v1" : "x");

    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } location
            && (location.Contains("/Account/SignIn", StringComparison.Ordinal) || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)));

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
