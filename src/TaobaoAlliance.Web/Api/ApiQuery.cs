namespace TaobaoAlliance.Web.Api;

/// <summary>Reading the API's query values.</summary>
public static class ApiQuery
{
    /// <summary>
    /// An enum value by its name, in any case (<c>priceAsc</c>, <c>item</c>); a number is not a name, even one that
    /// <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take.
    /// </summary>
    public static bool TryParseName<TEnum>(string text, out TEnum value) where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsDigit(text.FirstOrDefault());
}
