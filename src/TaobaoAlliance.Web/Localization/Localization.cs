using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace TaobaoAlliance.Web.Localization;

/// <summary>Marker type for the one shared resource file of UI text (Resources/Localization/SharedResource.*.resx).</summary>
public sealed class SharedResource;

/// <summary>English and Simplified Chinese, chosen by cookie, then by the browser's Accept-Language.</summary>
public static class LocalizationExtensions
{
    public static readonly CultureInfo[] Supported = [new("en"), new("zh-Hans")];

    public static bool IsChinese(this CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh";

    public static void AddAllianceLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = Supported;
            options.SupportedUICultures = Supported;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // zh-CN, zh-SG and plain zh browsers all get Simplified Chinese.
            options.RequestCultureProviders.Insert(0, new CookieRequestCultureProvider());
        });
        services.AddRazorPages()
            .AddViewLocalization()
            // Validation messages and display names are keys of the same shared resource as the views.
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.AddSingleton<IConfigureOptions<MvcOptions>, LocalizedModelBindingMessages>();
        // Write Chinese as characters, not as &#x...; escapes (HTML-sensitive characters stay encoded).
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
    }

    public static void UseAllianceLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary>
    /// <c>POST /culture</c> from the switcher in the layout: remembers the choice for a year and goes
    /// back to the page, which must be a local URL (no open redirect). No antiforgery token: the switcher sits
    /// on cached storefront pages, which must carry none, and a forged post can do no more than change the language.
    /// </summary>
    public static void MapCultureSwitch(this WebApplication app) =>
        app.MapPost("/culture", async (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            if (!Supported.Any(c => c.Name == culture))
            {
                return Results.Problem(statusCode: 400, title: "Unsupported culture", detail: $"Choose one of: {string.Join(", ", Supported.Select(c => c.Name))}.");
            }
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            await Notifications.UserLanguage.RememberAsync(context, culture);
            // The framework's own test (it also refuses control characters such as "/\t/evil", which browsers drop
            // and would read as //evil): anything else goes home rather than failing the redirect.
            return Results.LocalRedirect(RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous().DisableAntiforgery();
}

/// <summary>
/// The messages model binding writes itself (a number field left empty, a value that is not a
/// number or not one of the choices), as keys of the shared resource so they read in Chinese too.
/// </summary>
internal sealed class LocalizedModelBindingMessages(IStringLocalizerFactory factory) : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options)
    {
        var localizer = factory.Create(typeof(SharedResource));
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((value, field) => localizer["The value '{0}' is not valid for {1}.", value, field]);
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => localizer["The value '{0}' is not valid.", value]);
        messages.SetUnknownValueIsInvalidAccessor(field => localizer["The value is not valid for {0}.", field]);
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => localizer["The value is not valid."]);
        messages.SetValueIsInvalidAccessor(value => localizer["The value '{0}' is not valid.", value]);
        messages.SetValueMustBeANumberAccessor(field => localizer["The field {0} must be a number.", field]);
        messages.SetNonPropertyValueMustBeANumberAccessor(() => localizer["The field must be a number."]);
        messages.SetValueMustNotBeNullAccessor(value => localizer["A value is required."]);
        messages.SetMissingBindRequiredValueAccessor(field => localizer["A value for {0} was not provided.", field]);
        messages.SetMissingKeyOrValueAccessor(() => localizer["A value is required."]);
        messages.SetMissingRequestBodyRequiredValueAccessor(() => localizer["A non-empty request body is required."]);
    }
}
