package dev.sparkgate.kube.emulator;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion, as its kubelet applies it to env values (with the variables defined before)
 * and to command and args (with the container's whole environment): {@code $(NAME)} becomes the variable's value when
 * it is defined and stays as written when not, {@code $$} is a literal {@code $}, and any other {@code $} is left alone.
 * Port of Kubernetes' {@code third_party/forked/golang/expansion}.
 */
final class EnvExpansion {

  private EnvExpansion() {}

  static String expand(String input, Map<String, String> variables) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= input.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          // An incomplete reference is kept as written.
          out.append("$(");
          i += 2;
        } else {
          String name = input.substring(i + 2, close);
          out.append(variables.containsKey(name) ? variables.get(name) : "$(" + name + ")");
          i = close + 1;
        }
      } else {
        out.append('$').append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
