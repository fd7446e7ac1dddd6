using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;

namespace TaobaoAlliance.Testing;

/// <summary>
/// One browser on the app: keeps its cookies, never follows redirects on its own (tests look at
/// them), reads the antiforgery token off a page and posts forms the way a browser would.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    /// <summary>An ordinary desktop browser: the click path treats unknown clients as bots.</summary>
    public const string UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public static readonly Uri BaseAddress = new("http://localhost/");

    /// <param name="address">Where this browser thinks the app is (default http://localhost/): tests of the Host header use another.</param>
    public BrowserSession(AllianceApp app, string? acceptLanguage = null, Uri? address = null)
    {
        App = app;
        Address = address ?? BaseAddress;
        Client = app.CreateDefaultClient(Address, new CookieContainerHandler(Cookies));
        Client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        if (acceptLanguage is not null) Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
    }

    public HttpClient Client { get; }

    /// <summary>The app this browser talks to (its database holds the outbox the confirmation emails go to).</summary>
    public AllianceApp App { get; }

    /// <summary>The authenticator key of the signed-in user, once <see cref="EnrollTwoFactorAsync"/> set one up (or a demo key).</summary>
    public string? AuthenticatorKey { get; private set; }

    /// <summary>The scheme and host this browser sends requests to.</summary>
    public Uri Address { get; }

    /// <summary>Who signed up or in last in this browser.</summary>
    public string? Email { get; private set; }

    /// <summary>A browser with a new buyer account signed in.</summary>
    public static async Task<BrowserSession> NewBuyerAsync(AllianceApp app, string? acceptLanguage = null)
    {
        var browser = new BrowserSession(app, acceptLanguage);
        await browser.SignUpAsync($"buyer-{Guid.NewGuid():N}@example.test", "Shopper!pass1");
        return browser;
    }
    public CookieContainer Cookies { get; } = new();

    /// <summary>A form as the page has it: where it posts, and the values of its fields.</summary>
    public sealed record Form(string Action, IReadOnlyDictionary<string, string> Fields);

    public string? Cookie(string name) => Cookies.GetCookies(Address)[name]?.Value;

    public void SetCookie(string name, string value) => Cookies.Add(Address, new System.Net.Cookie(name, value, "/"));

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(new Uri(url, UriKind.Relative));

    /// <summary>GETs a page that must answer 200 and returns its HTML.</summary>
    public async Task<string> PageAsync(string url)
    {
        using var response = await GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode} {response.Headers.Location}");
        }
        return html;
    }

    /// <summary>
    /// Posts fields to a URL with a fresh antiforgery token read from <paramref name="tokenPage"/>, as a
    /// hand-made form would (or a form for something the user cannot see, e.g. another buyer's order).
    /// Without a page named, the home page's (a signed-in user's sign-out form) or else the sign-in form's:
    /// the anonymous home is cached for everyone, so it carries none.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? tokenPage = null)
    {
        var token = tokenPage is not null ? AntiforgeryToken.From(await PageAsync(tokenPage))
            : AntiforgeryToken.TryFrom(await PageAsync("/")) ?? AntiforgeryToken.From(await PageAsync("/Account/SignIn"));
        return await PostRawAsync(url, [.. fields, new("__RequestVerificationToken", token)]);
    }

    /// <summary>Posts exactly these fields (no token added).</summary>
    public Task<HttpResponseMessage> PostRawAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        Client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(fields));

    /// <summary>
    /// Loads <paramref name="pageUrl"/>, takes the form posting to <paramref name="action"/> (and matching
    /// <paramref name="pick"/>, if given) with the fields the page filled in, overrides <paramref name="values"/>
    /// and posts it — as a browser submitting that form would, antiforgery token included.
    /// </summary>
    public Task<HttpResponseMessage> SubmitAsync(string pageUrl, string action, IReadOnlyDictionary<string, string>? values = null,
        Func<Form, bool>? pick = null) =>
        SubmitAsync(pageUrl, f => f.Action == action && (pick is null || pick(f)), values);

    /// <summary>The same, for the first form of the page that matches <paramref name="pick"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, Func<Form, bool> pick, IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(pick);
        var html = await PageAsync(pageUrl);
        // A form without an action posts back to the page it is on.
        var form = Forms(html).Select(f => f.Action.Length == 0 ? f with { Action = pageUrl } : f).FirstOrDefault(pick)
            ?? throw new InvalidOperationException($"{pageUrl} has no such form; it has: " + string.Join(", ", Forms(html).Select(f => f.Action)));
        var fields = new Dictionary<string, string>(form.Fields);
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) fields[name] = value;
        return await PostRawAsync(form.Action, fields);
    }

    /// <summary>The forms of a page with their fields (inputs only; unchecked boxes and radios left out, as a browser does).</summary>
    public static IReadOnlyList<Form> Forms(string html) =>
        [.. FormPattern().Matches(html).Select(form =>
        {
            var fields = new Dictionary<string, string>();
            foreach (Match input in InputPattern().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                if (Attribute(tag, "name") is not { } name) continue;
                var type = Attribute(tag, "type") ?? "text";
                if (type is "checkbox" or "radio" && !CheckedPattern().IsMatch(tag)) continue;
                if (type is "submit" or "button") continue;
                fields.TryAdd(name, Attribute(tag, "value") ?? "");
            }
            return new Form(Attribute(form.Groups["open"].Value, "action") ?? "", fields);
        })];

    /// <summary>
    /// Signs up through the form, confirms the address by following the link of the confirmation email (read from the
    /// outbox, as the user would read their inbox), then signs in through the form and checks the user is signed in.
    /// </summary>
    public async Task SignUpAsync(string email, string password, string accountType = "Buyer", string? displayName = null)
    {
        using (var response = await SubmitAsync("/Account/SignUp", "/Account/SignUp", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = displayName ?? email.Split('@')[0],
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
            ["Input.AccountType"] = accountType,
        }))
        {
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !html.Contains("id=\"confirmation-sent\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Sign-up of {email} failed: {(int)response.StatusCode} {html}");
            }
        }
        await ConfirmEmailAsync(email);
        await SignInAsync(email, password);
    }

    /// <summary>The link of the newest confirmation email to <paramref name="email"/>, as a path and query on this app.</summary>
    public Task<string> ConfirmationLinkAsync(string email) => ConfirmationLinkAsync(App, email);

    /// <summary>The link of the newest confirmation email to <paramref name="email"/> in <paramref name="app"/>'s outbox, as a path and query.</summary>
    public static async Task<string> ConfirmationLinkAsync(AllianceApp app, string email)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var db = app.NewDb();
        var body = await db.OutboxEmails.Where(e => e.To == email && e.HtmlBody.Contains("/Account/ConfirmEmail"))
            .OrderByDescending(e => e.Id).Select(e => e.HtmlBody).FirstOrDefaultAsync()
            ?? throw new InvalidOperationException($"No confirmation email to {email} in the outbox");
        var href = WebUtility.HtmlDecode(Regex.Match(body, "href=\"([^\"]+)\"").Groups[1].Value);
        return new Uri(href).PathAndQuery;
    }

    /// <summary>Follows the confirmation link of the newest email to <paramref name="email"/> and checks it confirmed.</summary>
    public async Task ConfirmEmailAsync(string email)
    {
        var html = await PageAsync(await ConfirmationLinkAsync(email));
        if (!html.Contains("id=\"email-confirmed\"", StringComparison.Ordinal)) throw new InvalidOperationException($"Confirming {email} failed: {html}");
    }

    /// <summary>
    /// Signs in through the form and checks it worked. An account with two-factor sign-in answers with the code step:
    /// the code is computed from <paramref name="authenticatorKey"/> (or the demo account's published key, or the key
    /// this browser enrolled) like an authenticator app would.
    /// </summary>
    public async Task SignInAsync(string email, string password, string? authenticatorKey = null)
    {
        using var response = await SubmitAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password,
        });
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.StartsWith("/Account/TwoFactorSignIn", StringComparison.Ordinal) == true)
        {
            var key = authenticatorKey ?? (Totp.DemoKeys.TryGetValue(email, out var demo) ? demo : null)
                ?? (string.Equals(Email, email, StringComparison.OrdinalIgnoreCase) ? AuthenticatorKey : null)
                ?? throw new InvalidOperationException($"{email} signs in with two factors: give its authenticator key");
            using var second = await SubmitAsync(response.Headers.Location.OriginalString, f => f.Fields.ContainsKey("Code"),
                new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
            if (second.StatusCode != HttpStatusCode.Redirect || Cookie("alliance_auth") is null)
            {
                throw new InvalidOperationException($"Two-factor sign-in of {email} failed: {(int)second.StatusCode}");
            }
            AuthenticatorKey = key;
        }
        else if (response.StatusCode != HttpStatusCode.Redirect || Cookie("alliance_auth") is null)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode}");
        }
        Email = email;
    }

    /// <summary>
    /// Turns on two-factor sign-in for the signed-in user through the real page: reads the shared key off it, answers with
    /// a code computed from it, and returns the recovery codes the page shows once.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnrollTwoFactorAsync()
    {
        var html = await PageAsync("/Account/TwoFactor");
        var key = WebUtility.HtmlDecode(Regex.Match(html, "data-key=\"([^\"]+)\"").Groups[1].Value);
        if (key.Length == 0) throw new InvalidOperationException("/Account/TwoFactor shows no key: " + html);
        using var response = await SubmitAsync("/Account/TwoFactor", f => f.Action.Contains("handler=Enable", StringComparison.Ordinal),
            new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        var answer = await response.Content.ReadAsStringAsync();
        var codes = Regex.Matches(answer, "<li class=\"recovery-code\">([^<]+)</li>").Select(m => m.Groups[1].Value).ToList();
        if (response.StatusCode != HttpStatusCode.OK || codes.Count == 0) throw new InvalidOperationException($"Turning on two-factor sign-in failed: {(int)response.StatusCode} {answer}");
        AuthenticatorKey = key;
        return codes;
    }

    /// <summary>Adds an item to the cart through the item page's form.</summary>
    public async Task AddToCartAsync(long itemId, int quantity)
    {
        using var response = await SubmitAsync($"/item/{itemId}", $"/item/{itemId}?handler=AddToCart",
            new Dictionary<string, string> { ["Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != $"/item/{itemId}")
        {
            throw new InvalidOperationException($"Adding item {itemId} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : null;

    [GeneratedRegex("(?<open><form\\b[^>]*>)(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("\\schecked(=\"[^\"]*\")?[\\s/>]", RegexOptions.IgnoreCase)]
    private static partial Regex CheckedPattern();

    public void Dispose() => Client.Dispose();
}
