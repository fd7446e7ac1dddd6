using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Admin;

/// <summary>The admin catalog pages' words (categories and delisted items), and the seller's, in the reader's language.</summary>
public static class CatalogAdminLabels
{
    /// <summary>The form field a category refusal belongs to (its error key), or "" for the whole form.</summary>
    public static string Field(CategoryRefusal refusal) => refusal switch
    {
        CategoryRefusal.SlugInvalid or CategoryRefusal.SlugTaken => "Input.Slug",
        CategoryRefusal.NameEnMissing or CategoryRefusal.NameEnTaken => "Input.NameEn",
        CategoryRefusal.NameZhMissing or CategoryRefusal.NameZhTaken => "Input.NameZh",
        _ => "",
    };

    public static string Refused(CategoryRefusal refusal, int items, IStringLocalizer localizer) => refusal switch
    {
        CategoryRefusal.SlugInvalid => localizer["Use lowercase letters, digits and single hyphens for the address name (at most {0} characters).", CategoryAdmin.SlugMaxLength],
        CategoryRefusal.SlugTaken => localizer["Another category already has this address name."],
        CategoryRefusal.NameEnMissing => localizer["Enter the English name (at most {0} characters).", CategoryAdmin.NameMaxLength],
        CategoryRefusal.NameZhMissing => localizer["Enter the Chinese name (at most {0} characters).", CategoryAdmin.NameMaxLength],
        CategoryRefusal.NameEnTaken => localizer["Another category already has this English name."],
        CategoryRefusal.NameZhTaken => localizer["Another category already has this Chinese name."],
        CategoryRefusal.HoldsItems => localizer.Count(items, "This category holds {0} item, so it cannot be deleted. Retire it instead: it stops being offered, and its item stays.",
            "This category holds {0} items, so it cannot be deleted. Retire it instead: it stops being offered, and its items stay."),
        CategoryRefusal.InUse => localizer["Sites, campaigns or subsidy programmes use this category, so it cannot be deleted. Retire it instead."],
        CategoryRefusal.AlreadyRetired => localizer["This category is already retired."],
        CategoryRefusal.NotRetired => localizer["This category is not retired."],
        CategoryRefusal.AtTheEdge => localizer["This category cannot move further that way."],
        _ => localizer["There is no such category."],
    };

    public static string Reason(DelistReason? reason, IStringLocalizer localizer) => reason switch
    {
        DelistReason.Counterfeit => localizer["Counterfeit goods"],
        DelistReason.Prohibited => localizer["Prohibited item"],
        DelistReason.Misleading => localizer["Misleading listing"],
        _ => localizer["Other reason"],
    };

    /// <summary>The reason with the admin's note, as the seller and the admin read it.</summary>
    public static string ReasonWithNote(DelistReason? reason, string? note, IStringLocalizer localizer) =>
        string.IsNullOrWhiteSpace(note) ? Reason(reason, localizer) : $"{Reason(reason, localizer)} — {note}";

    /// <summary>The form field a delisting refusal belongs to, or "" for the whole form.</summary>
    public static string Field(DelistRefusal refusal) => refusal switch
    {
        DelistRefusal.ReasonMissing => "Input.Reason",
        DelistRefusal.NoteMissing or DelistRefusal.NoteTooLong => "Input.Note",
        _ => "",
    };

    public static string Refused(DelistRefusal refusal, IStringLocalizer localizer) => refusal switch
    {
        DelistRefusal.ReasonMissing => localizer["Choose the reason for delisting."],
        DelistRefusal.NoteMissing => localizer["Say what the other reason is: the seller reads it."],
        DelistRefusal.NoteTooLong => localizer["The note can be at most {0} characters.", ItemDelisting.NoteMaxLength],
        DelistRefusal.AlreadyDelisted => localizer["This item is already delisted."],
        DelistRefusal.NotDelisted => localizer["This item is not delisted by the platform."],
        _ => localizer["There is no such item."],
    };
}
