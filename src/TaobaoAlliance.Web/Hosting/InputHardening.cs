using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>
/// Bad input answers 400 or a form message, never 500: NUL characters (PostgreSQL text cannot hold them),
/// check boxes posted with something other than true/false, and page handlers that do not exist.
/// </summary>
public static class InputHardening
{
    public static void AddInputHardening(this IServiceCollection services) =>
        services.Configure<MvcOptions>(options =>
        {
            options.ModelBinderProviders.Insert(0, new BooleanModelBinderProvider());
            options.Filters.Add(new UnknownPageHandlerFilter());
        });

    /// <summary>
    /// 400 for a NUL character in any query value or URL-encoded form value. The traffic paths (/c, /z) never get
    /// here (<see cref="TaobaoAlliance.Web.Clicks.ClickEndpoints.AsTrafficPath"/>): they answer every request with a
    /// redirect where they can, and never hand raw query text to the database. Multipart forms (file uploads) are not read here: reading them before their page would skip
    /// the page's own size limits. Call after routing, so an endpoint's request size limit applies to the read.
    /// </summary>
    public static void UseNulCharacterGuard(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (HasNul(request.Query) || (IsUrlEncodedForm(request) && !await FormIsCleanAsync(request, context.RequestAborted)))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest; // the status code pages say so, as HTML or problem+json
                return;
            }
            await next(context);
        });

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<bool> FormIsCleanAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return !HasNul(await request.ReadFormAsync(ct));
        }
        catch (InvalidDataException)
        {
            return false; // the form reader refuses some control characters (NUL among them) itself
        }
    }

    private static bool HasNul(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values) =>
        values.Any(pair => pair.Key.Contains('\0', StringComparison.Ordinal)
            || pair.Value.Any(value => value is not null && value.Contains('\0', StringComparison.Ordinal)));

    /// <summary>
    /// A bool that is not true/false is a model error like any other, but the default binder keeps the text as
    /// the attempted value, and the check box tag helper then fails parsing it while rendering the form (500).
    /// This binder records the error and keeps "false" as what the box shows.
    /// </summary>
    private sealed class BooleanModelBinderProvider : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
            context.Metadata.ModelType == typeof(bool) ? new BooleanModelBinder() : null;
    }

    private sealed class BooleanModelBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (value == ValueProviderResult.None) return Task.CompletedTask;
            // A check box posts "true" followed by its hidden "false": the first value counts.
            if (bool.TryParse(value.FirstValue, out var parsed))
            {
                bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
                bindingContext.Result = ModelBindingResult.Success(parsed);
                return Task.CompletedTask;
            }
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, new ValueProviderResult("false"));
            var metadata = bindingContext.ModelMetadata;
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, string.IsNullOrEmpty(value.FirstValue)
                ? metadata.ModelBindingMessageProvider.ValueMustNotBeNullAccessor(value.FirstValue ?? "")
                : metadata.ModelBindingMessageProvider.AttemptedValueIsInvalidAccessor(value.FirstValue!, metadata.GetDisplayName()));
            bindingContext.Result = ModelBindingResult.Failed();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// <c>?handler=nope</c> names a handler the page does not have: 404, rather than running the page's unnamed
    /// handler, or no handler at all (which renders a page no handler prepared, and fails).
    /// </summary>
    private sealed class UnknownPageHandlerFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            // Razor Pages falls back to the unnamed handler (or to none) when the name matches nothing.
            var requested = context.RouteData.Values.TryGetValue("handler", out var routeName) && routeName is not null
                ? Convert.ToString(routeName, System.Globalization.CultureInfo.InvariantCulture)
                : context.HttpContext.Request.Query["handler"].FirstOrDefault();
            if (!string.IsNullOrEmpty(requested) && !string.Equals(context.HandlerMethod?.Name, requested, StringComparison.OrdinalIgnoreCase))
            {
                context.Result = new NotFoundResult();
                return Task.CompletedTask;
            }
            return next();
        }
    }
}
