using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Catalog;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>The fields of a shop the seller may change at any time (the slug is chosen once, on creation).</summary>
public class ShopInput
{
    [Required(ErrorMessage = "{0} is required.")]
    [StringLength(CatalogRules.ShopNameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Shop name (Chinese)")]
    public string NameZh { get; set; } = "";

    [Required(ErrorMessage = "{0} is required.")]
    [StringLength(CatalogRules.ShopNameMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Shop name (English)")]
    public string NameEn { get; set; } = "";

    [StringLength(CatalogRules.ShopDescriptionMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Description")]
    public string? Description { get; set; }

    [Required(ErrorMessage = "{0} is required.")]
    [Range(0d, 90d, ErrorMessage = "{0} must be between {1} and {2}.")]
    [Display(Name = "General commission rate (%)")]
    public decimal? RatePercent { get; set; }

    /// <summary>Checks what attributes cannot say: at most two decimals. Returns the rate when the field is good.</summary>
    public Rate? CheckRate(ModelStateDictionary modelState, IStringLocalizer<SharedResource> localizer, string prefix = "Input")
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(localizer);
        if (RatePercent is not { } percent) return null;
        if (!CatalogRules.IsValidRatePercent(percent))
        {
            if (modelState.GetFieldValidationState(prefix + "." + nameof(RatePercent)) != ModelValidationState.Invalid)
            {
                modelState.AddModelError(prefix + "." + nameof(RatePercent), localizer["Enter a rate between 0 and 90 % with at most two decimals."]);
            }
            return null;
        }
        return Rate.FromPercent(percent);
    }
}

/// <summary>A new shop: the fields above and its address name.</summary>
public sealed class NewShopInput : ShopInput
{
    [Required(ErrorMessage = "{0} is required.")]
    [StringLength(CatalogRules.SlugMaxLength, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Shop address name")]
    public string Slug { get; set; } = "";
}
