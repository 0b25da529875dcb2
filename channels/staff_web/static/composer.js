// The broadcast composer tells its preview which file is attached (name, type, size) without
// uploading the file on every keystroke; the file itself goes with "Send".
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input || input.id !== "file" || !input.form) return;
  var file = input.files && input.files[0];
  var fields = input.form.elements;
  fields.file_name.value = file ? file.name : "";
  fields.file_type.value = file ? file.type : "";
  fields.file_size.value = file ? String(file.size) : "";
}, true);  // capture: filled in before htmx asks for the preview
